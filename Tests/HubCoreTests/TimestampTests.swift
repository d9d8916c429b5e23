import HubCore
import XCTest

final class TimestampTests: XCTestCase {
    func testParsesRFC3339WithFractionsAndOffsets() throws {
        let utc = try XCTUnwrap(Timestamp(iso8601: "2026-11-22T08:00:00Z"))
        XCTAssertEqual(utc.microsecondsSinceEpoch, 1_795_334_400_000_000)
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22T09:00:00+01:00"), utc)
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22T03:30:00-0430"), utc)
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22T08:00:00.123456Z")?.microsecondsSinceEpoch, 1_795_334_400_123_456)
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22T08:00:00.5Z")?.microsecondsSinceEpoch, 1_795_334_400_500_000)
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22T08:00:00.1234567Z")?.microsecondsSinceEpoch, 1_795_334_400_123_457,
                       "digits past the sixth are rounded")
        XCTAssertEqual(Timestamp(iso8601: "2026-11-22 08:00:00Z"), utc)
    }

    func testRejectsTextThatIsNotAnInstant() {
        for text in ["", "2026-11-22", "2026-11-22T08:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
                     "2026-11-22T24:00:00Z", "2026-11-22T08:00:00.Z", "2026-11-22T08:00:00Zjunk", "yesterday"] {
            XCTAssertNil(Timestamp(iso8601: text), text)
        }
        XCTAssertNotNil(Timestamp(iso8601: "2024-02-29T00:00:00Z"), "leap day")
    }

    func testFormatsWithSixDigitsAndRoundTrips() throws {
        let samples: [Int64] = [0, 1, -1, 1_795_334_400_123_456, -62_135_596_800_000_000, 253_402_300_799_999_999]
        for micros in samples {
            let timestamp = Timestamp(microsecondsSinceEpoch: micros)
            XCTAssertEqual(Timestamp(iso8601: timestamp.iso8601), timestamp, timestamp.iso8601)
        }
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: 0).iso8601, "1970-01-01T00:00:00.000000Z")
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: -1).iso8601, "1969-12-31T23:59:59.999999Z")
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: 1_795_334_400_123_456).iso8601, "2026-11-22T08:00:00.123456Z")
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: 1_795_399_199_000_007).iso8601, "2026-11-23T01:59:59.000007Z")
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: -62_135_596_800_000_000).iso8601, "0001-01-01T00:00:00.000000Z")
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: 253_402_300_799_999_999).iso8601, "9999-12-31T23:59:59.999999Z")
        // Years beyond four digits (never parsed, but a stored number may hold one) keep their digits.
        XCTAssertEqual(Timestamp(microsecondsSinceEpoch: 253_402_300_800_000_000).iso8601, "10000-01-01T00:00:00.000000Z")
    }

    func testSecondsSinceEpochRoundsToTheMicrosecond() {
        XCTAssertEqual(Timestamp(secondsSinceEpoch: 1_276_300_000.25)?.microsecondsSinceEpoch, 1_276_300_000_250_000)
        XCTAssertEqual(Timestamp(secondsSinceEpoch: 0.0000014)?.microsecondsSinceEpoch, 1)
        XCTAssertNil(Timestamp(secondsSinceEpoch: .nan))
        XCTAssertNil(Timestamp(secondsSinceEpoch: 1e300))
    }
}
