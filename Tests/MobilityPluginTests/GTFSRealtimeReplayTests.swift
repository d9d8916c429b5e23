import Foundation
import HubCore
import HubTesting
import MobilityPlugin
import XCTest

/// The replay `hub demo` serves: a recorded feed copied with its times shifted and its vehicles moved,
/// every other field intact, so that the connector reads it as the same feed, later and elsewhere.
final class GTFSRealtimeReplayTests: XCTestCase {
    func testTheBullRunnerFeedIsShiftedAndMovedAndOtherwiseUnchanged() throws {
        let recorded = try testKit.fixture("gtfs-rt/bullrunner-vehicle-positions.pb")
        XCTAssertEqual(try GTFSRealtimeReplay.headerTimestamp(of: recorded), 1_505_314_375)
        let shift: Int64 = 289_962_425  // to 2026-11-22T08:00:00Z
        var indices: [Int] = []
        let replayed = try GTFSRealtimeReplay.replay(recorded, shiftingTimesBy: shift) { index, latitude, longitude in
            indices.append(index)
            return (latitude + 17.7, longitude + 87.2)
        }
        XCTAssertEqual(indices, Array(0..<10), "each vehicle position moved once, by entity order")
        XCTAssertEqual(try GTFSRealtimeReplay.headerTimestamp(of: replayed), 1_795_276_800)

        var before = try GTFSRealtimeConnector(settings: testKit.settings())
        var after = try GTFSRealtimeConnector(settings: testKit.settings())
        let original = try before.decode(testKit.envelope(recorded)).filter { $0.type == "VehiclePosition" }
        let moved = try after.decode(testKit.envelope(replayed)).filter { $0.type == "VehiclePosition" }
        XCTAssertEqual(moved.count, 10)
        for (old, new) in zip(original, moved) {
            XCTAssertEqual(new.entity, old.entity)
            XCTAssertEqual(new.attributes, old.attributes, "route, bearing, occupancy, warnings copied as they were")
            XCTAssertEqual(new.observedAt, old.observedAt.adding(microseconds: shift * 1_000_000))
            XCTAssertEqual(try XCTUnwrap(new.location?.latitude), try XCTUnwrap(old.location?.latitude) + 17.7, accuracy: 1e-4)
            XCTAssertEqual(try XCTUnwrap(new.location?.longitude), try XCTUnwrap(old.location?.longitude) + 87.2, accuracy: 1e-4)
        }
        // Unmoved and unshifted, the copy is the recording byte for byte.
        XCTAssertEqual(try GTFSRealtimeReplay.replay(recorded, shiftingTimesBy: 0) { ($1, $2) }, recorded)
    }

    func testTripUpdateAndAlertTimesAreShiftedAndDelaysKept() throws {
        let replayed = try GTFSRealtimeReplay.replay(Self.tripAndAlertFeed(at: 0), shiftingTimesBy: 100) { ($1, $2) }
        XCTAssertEqual(replayed, Self.tripAndAlertFeed(at: 100))
    }

    /// A header, a trip update and an alert whose times are all moved by `shift` seconds (the
    /// arrival's delay, 120 s, is not a time and stays).
    private static func tripAndAlertFeed(at shift: UInt64) -> Data {
        var feed = ProtobufWriter()
        feed.message(1) { header in
            header.string(1, "2.0")
            header.uint(3, 1_000 + shift)
        }
        feed.message(2) { entity in
            entity.string(1, "t1")
            entity.message(3) { update in
                update.message(1) { trip in trip.string(1, "trip-1") }
                update.message(2) { stop in
                    stop.uint(1, 1)
                    stop.message(2) { arrival in
                        arrival.int(1, 120)
                        arrival.int(2, 1_200 + Int64(shift))
                    }
                }
                update.uint(4, 1_000 + shift)
            }
        }
        feed.message(2) { entity in
            entity.string(1, "a1")
            entity.message(5) { alert in alert.message(1) { period in period.uint(1, 900 + shift); period.uint(2, 5_000 + shift) } }
        }
        return feed.data
    }

    func testBrokenBytesAreRefusedWithWhereTheyBreak() {
        XCTAssertThrowsError(try GTFSRealtimeReplay.replay(Data([0x0A, 0x05, 0x01]), shiftingTimesBy: 1) { ($1, $2) }) { error in
            XCTAssertTrue("\(error)".contains("runs past the end"), "\(error)")
        }
    }
}
