import Foundation
import HubCore
import HubRuntime
import HubServices
import XCTest

/// Every compiled-in connector's sample, decoded as its README's example decodes it, gives the
/// event ids and attribute texts pinned here: one SHA-256 over `id attributesJSON` lines per
/// connector. The store keeps and compares that text, and re-delivery is idempotent only while
/// ids stay the same, so a change of either changes what every hub already stored. The digests
/// were taken before attributes were written into a byte buffer instead of a `String`.
final class ConnectorEventTextTests: XCTestCase {
    private static let pinned: [String: String] = [
        "einvoicing.chorus-status": "c4c6652477a16dbb220d16c5f8d039fc41a650a57b4d11c7d53252b49407e7c0",
        "einvoicing.cii": "4ca20733809b0382dbae655728ac8a31b2aa0217be8336e734e2e575a120dd89",
        "einvoicing.facturx": "ed4879df91efc64268c31c9b027680a157036b9aa32541fec39d95c5c57a6343",
        "einvoicing.ubl": "26957cc500ffe6062d3529f8d7c3de8d645a5512f8a0fd95c9312841a65ae8c7",
        "mobility.gbfs": "cf322fdd75aadf7f65c99ee7c03cd7a6613c6295a1db9b42adcf422797f1925f",
        "mobility.gtfs-rt": "b410570748cbf43c7e1e33bea05e9d1892417497716e08767bf5d0eec1f6a3b2",
        "mobility.siri-lite": "d2c50007078646366ee45131b64497e055ff4f168901ec75842264ebefd8798a",
        "mobility.waze": "a47e2f678cd768b808fc5bfa92ce138ed42dde158f3c9cb8eca831acc00d81e7",
        "sensors.chirpstack": "7896254064af699e6b7eba9c512affbea7b769e0dbd15a39a1278be0e04007af",
        "sensors.fiware-iota": "f1c34b1fc0e92ae615c4c30300b219fbdf23836ebd8ec24007f9a0a6c57ed35f",
        "sensors.json": "e0e7e9e374f036ee2cf5f9afdb3f961f7e793c9eb983d453bfb812fa6daab042",
        "sensors.senml": "ff647010315f322d9265522cd7dba4ecada7ef779916affbe39302702aea989b",
        "sensors.ttn": "8d617529e5fcaca62030b481a4f9efd23348d9ad013b11f3269df5ebaeec4528",
    ]

    func testEverySampleGivesThePinnedIdsAndAttributeTexts() throws {
        let folders = Dictionary(grouping: try ConnectorFolder.all().filter { $0.id != nil }) { $0.id ?? "" }
        var digests: [String: String] = [:]
        for id in ConnectorCatalog.compiledIn.ids {
            let folder = try XCTUnwrap(folders[id]?.first, "\(id) has no folder")
            let example = try ConsoleExample(readme: try XCTUnwrap(folder.readme))
            let words = example.arguments
            func option(_ name: String) -> String? {
                words.firstIndex(of: "--\(name)").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
            }
            let root = Repository.root
            let settings = try option("settings").map { try JSONValue(parsing: Data(contentsOf: root.appendingPathComponent($0))) }
            var connector = try ConnectorCatalog.compiledIn.make(id: id, settings: settings ?? .object([:]))
            let receivedAt = try XCTUnwrap(option("received-at").flatMap(Timestamp.init(iso8601:)), "\(id): no --received-at")
            let envelope = Envelope(route: "decode", source: option("topic") == nil ? .file : .mqtt, origin: option("topic") ?? words[2],
                                    payload: try Data(contentsOf: root.appendingPathComponent(words[2])), receivedAt: receivedAt)
            let events = try connector.decode(envelope)
            XCTAssertFalse(events.isEmpty, "\(id): its sample gave no event")
            for event in events {
                // Connectors that write their attributes' text as they add them must give the rendered values' text.
                XCTAssertEqual(event.attributesJSON, Event.render(event.attributes), "\(id): \(event.type)")
            }
            let lines = events.map { "\($0.id) \($0.attributesJSON)" }.joined(separator: "\n")
            digests[id] = SHA256.hash(Array(lines.utf8)).hexString
        }
        XCTAssertEqual(digests, Self.pinned)
    }
}
