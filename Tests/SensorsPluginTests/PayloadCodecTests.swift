import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// The byte-layout codecs partners describe devices with.
final class PayloadCodecTests: XCTestCase {
    private func field(_ json: String) throws -> ByteField {
        try ByteField(settings: testKit.settings(json))
    }

    func testSignedAndUnsignedIntegersInBothByteOrders() throws {
        let bytes: [UInt8] = [0xFF, 0x38, 0x01, 0x02, 0x03, 0x80, 0x00, 0x00, 0x00]
        XCTAssertEqual(try field(#"{"name":"a","type":"uint8"}"#).value(in: bytes), 255)
        XCTAssertEqual(try field(#"{"name":"a","type":"int8"}"#).value(in: bytes), -1)
        XCTAssertEqual(try field(#"{"name":"a","type":"int16","scale":0.01}"#).value(in: bytes)!, -2, accuracy: 1e-9, "0xFF38 = -200")
        XCTAssertEqual(try field(#"{"name":"a","type":"uint16","offset":2}"#).value(in: bytes), 0x0102)
        XCTAssertEqual(try field(#"{"name":"a","type":"uint16","offset":2,"endian":"little"}"#).value(in: bytes), 0x0201)
        XCTAssertEqual(try field(#"{"name":"a","type":"uint24","offset":2}"#).value(in: bytes), 0x010203)
        XCTAssertEqual(try field(#"{"name":"a","type":"int32","offset":5}"#).value(in: bytes), -2_147_483_648)
        XCTAssertEqual(try field(#"{"name":"a","type":"uint32","offset":5}"#).value(in: bytes), 2_147_483_648)
        XCTAssertEqual(try field(#"{"name":"a","type":"int24","offset":6,"endian":"little"}"#).value(in: bytes), 0)
        XCTAssertEqual(try field(#"{"name":"a","type":"uint8","offset":1,"scale":0.5,"add":-40}"#).value(in: bytes), 28 - 40)
        XCTAssertNil(try field(#"{"name":"a","type":"uint16","offset":8}"#).value(in: bytes), "one byte short")
    }

    func testAWildcardCodecServesOtherPorts() throws {
        let codecs = try PayloadCodec.table(testKit.settings(#"{"codecs":{"*":{"fields":[{"name":"v","type":"uint8","unit":"P1"}]}}}"#))
        let readings = try PayloadCodec.decode(base64: Data([42]).base64EncodedString(), port: 7, codecs: codecs, field: "data")
        XCTAssertEqual(readings, [Reading("v", .number(42), unit: "P1")])
    }
}
