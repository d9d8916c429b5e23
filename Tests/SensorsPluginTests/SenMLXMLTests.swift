import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// SenML's XML form (RFC 8428 section 7) decodes to the same events as its JSON form.
final class SenMLXMLTests: XCTestCase {
    private func decode(_ payload: Data) throws -> [Event] {
        let connector = try SenMLConnector(settings: testKit.settings("{}"))
        return try connector.decode(testKit.envelope(payload))
    }

    func testTheXMLFormOfEx3GivesTheEventsOfItsJSONForm() throws {
        let xml = try decode(testKit.fixture("senml/senml-spec-ex3.gen.xml"))
        let json = try decode(testKit.fixture("senml/senml-spec-ex3.json"))
        XCTAssertEqual(xml.count, 6)
        XCTAssertEqual(xml, json)
        XCTAssertEqual(xml.first?.attributes["voltage"], .number(120.1, unit: "VLT"))
    }

    func testBooleanAndTextValuesAndBadXML() throws {
        let pack = #"<sensml xmlns="urn:ietf:params:xml:ns:senml"><senml bn="door-4/" bt="1795334400" n="open" vb="true"/><senml n="state" vs="ok"/></sensml>"#
        let event = try XCTUnwrap(decode(Data(pack.utf8)).first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:Device:door-4")
        XCTAssertEqual(event.attributes, ["open": .boolean(true), "state": .text("ok")])

        let cases: [(String, String)] = [
            (#"<sensml><senml n="a" v="warm"/></sensml>"#, #"payload is not a SenML XML pack: record 1: v="warm" is not a number"#),
            (#"<sensml><senml n="a" vb="yes"/></sensml>"#, #"payload is not a SenML XML pack: record 1: vb="yes" is neither true nor false"#),
            ("<sensml><senml n=", "payload is not a SenML XML pack: "),
            (#"<other/>"#, "payload is XML but has no <sensml> element; expected a SenML XML pack"),
            (#"<sensml/>"#, "the SenML pack is empty: an array with no records"),
        ]
        for (payload, reason) in cases {
            let error = testKit.connectorError { try decode(Data(payload.utf8)) }
            XCTAssertTrue(error?.message.hasPrefix(reason) ?? false, "\(payload): \(error?.message ?? "no error")")
        }
    }

    func testInvalidUTF8InATagOrACommentIsADeadLetterNotACrash() {
        for bytes in [Array("<sensml><senml n=\"a\" v=\"1\"/><se".utf8) + [0xFF] + Array("nml/></sensml>".utf8),
                      Array("<sensml><!-- ".utf8) + [0xC3, 0x28] + Array(" --><senml n=\"a\" v=\"1\"/></sensml>".utf8)] {
            let error = testKit.connectorError { try decode(Data(bytes)) }
            XCTAssertEqual(error?.code, .malformedPayload)
            XCTAssertTrue(error?.message.hasPrefix("payload is not a SenML XML pack: the document is not well-formed XML: ") ?? false,
                          error?.message ?? "no error")
        }
    }
}
