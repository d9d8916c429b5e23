import Foundation
import HubCore
import HubServices
import HubTesting
import MobilityPlugin
import XCTest

/// The GTFS-Realtime connector on the published fixtures and on feeds built field by field.
final class GTFSRealtimeConnectorTests: XCTestCase {
    private func connector(_ settings: String = "{}") throws -> GTFSRealtimeConnector {
        try GTFSRealtimeConnector(settings: testKit.settings(settings))
    }

    private func events(_ events: [Event], _ type: String) -> [Event] { events.filter { $0.type == type } }

    // MARK: Fixtures

    func testBullRunnerVehiclePositionsGiveTheBindingsEntityCountAndFields() throws {
        var connector = try connector()
        let decoded = try connector.decode(testKit.envelope(testKit.fixture("gtfs-rt/bullrunner-vehicle-positions.pb")))
        let vehicles = events(decoded, "VehiclePosition")
        // 10 entities, all vehicle positions: the count gtfs-realtime-bindings 1.0.0 (Python) gives with
        // `len(FeedMessage.FromString(data).entity)` and `sum(e.HasField("vehicle") ...)`.
        XCTAssertEqual(vehicles.count, 10)
        let first = try XCTUnwrap(vehicles.first { $0.attributes["entityId"] == .text("1") })
        XCTAssertEqual(first.entity, "urn:ngsi-ld:Vehicle:1536")
        XCTAssertEqual(first.attributes["routeId"], .text("F"))
        XCTAssertEqual(first.attributes["bearing"], .number(180, unit: "DD"))
        XCTAssertEqual(first.attributes["occupancy"], .text("EMPTY"))
        XCTAssertEqual(try XCTUnwrap(first.location?.latitude), 28.0662212, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(first.location?.longitude), -82.4176941, accuracy: 1e-5)
        // No vehicle timestamp: the header's (1505314375 = 2017-09-13T14:52:55Z) is the observation time.
        XCTAssertEqual(first.observedAt.iso8601, "2017-09-13T14:52:55.000000Z")
        let last = try XCTUnwrap(vehicles.first { $0.attributes["entityId"] == .text("10") })
        XCTAssertEqual(last.attributes["occupancy"], .text("MANY_SEATS_AVAILABLE"))
        XCTAssertEqual(last.attributes["routeId"], .text("E"))
    }

    func testBullRunnerTimestampWarningsMatchTheValidatorsResults() throws {
        var connector = try connector()
        let decoded = try connector.decode(testKit.envelope(testKit.fixture("gtfs-rt/bullrunner-vehicle-positions.pb")))
        // The validator's own output for this file lists W001 once per vehicle ("vehicle_id 1536", ...).
        let results = try JSONValue(parsing: testKit.fixture("gtfs-rt/bullrunner-vehicle-positions.results.json"))
        let w001 = try XCTUnwrap(results.arrayValue?.first { $0["errorMessage"]?["validationRule"]?["errorId"]?.stringValue == "W001" })
        let expected = Set(try XCTUnwrap(w001["occurrenceList"]?.arrayValue).compactMap { $0["prefix"]?.stringValue })
        XCTAssertEqual(expected.count, 10)
        var found: Set<String> = []
        for event in events(decoded, "VehiclePosition") {
            guard case .json(.array(let warnings))? = event.attributes["warnings"] else { continue }
            for case .string(let text) in warnings where text.hasPrefix("W001") {
                // "W001 timestamp not populated: vehicle_id 1536 does not have a timestamp"
                let detail = text.components(separatedBy: ": ")[1]
                found.insert(detail.components(separatedBy: " does not")[0])
            }
        }
        XCTAssertEqual(found, expected)
        let quality = try XCTUnwrap(events(decoded, "FeedQuality").first)
        XCTAssertEqual(quality.attributes["warnings"], .json(.object(["W001": .number(10)])))
        XCTAssertEqual(connector.warningTotals, ["W001": 10])
    }

    func testTheBindingsTestVehiclePosition() throws {
        var connector = try connector()
        let decoded = try connector.decode(testKit.envelope(testKit.fixture("gtfs-rt/vehicle_position.pb")))
        let vehicles = events(decoded, "VehiclePosition")
        XCTAssertEqual(vehicles.count, 1)  // 1 entity with the Python bindings
        XCTAssertEqual(vehicles[0].attributes["tripId"], .text("t0"))
        XCTAssertEqual(vehicles[0].location, GeoPoint(latitude: 47, longitude: -122))
        // Neither the header nor the vehicle has a timestamp: the receiving time stands in.
        XCTAssertEqual(vehicles[0].observedAt, testKit.receivedAt)
    }

    func testTheSpecExampleAlertWithTranslatedTexts() throws {
        var connector = try connector()
        let decoded = try connector.decode(testKit.envelope(testKit.fixture("gtfs-rt/alerts.pb")))
        let alerts = events(decoded, "ServiceAlert")
        XCTAssertEqual(alerts.count, 1)  // 1 entity with the Python bindings
        let alert = alerts[0]
        XCTAssertEqual(alert.entity, "urn:ngsi-ld:ServiceAlert:0")
        XCTAssertEqual(alert.attributes["cause"], .text("CONSTRUCTION"))
        XCTAssertEqual(alert.attributes["effect"], .text("DETOUR"))
        XCTAssertEqual(alert.attributes["header"],
                       .json(.object(["en": .string("Stop at Elm street is closed, temporary stop at Oak street")])))
        XCTAssertEqual(alert.attributes["url"], .json(.object(["en": .string("http://www.sometransitagency/alerts")])))
        guard case .json(.object(let description))? = alert.attributes["description"] else { return XCTFail("no description") }
        XCTAssertTrue(description["en"]?.stringValue?.hasPrefix("Due to construction at Elm street") == true)
        XCTAssertEqual(alert.attributes["activePeriods"], .json(.array([.object([
            "start": .string("2010-09-14T09:44:28.000000Z"), "end": .string("2010-09-14T12:41:12.000000Z"),
        ])])))
        XCTAssertEqual(alert.attributes["informedEntities"], .json(.array([
            .object(["routeId": .string("219")]), .object(["stopId": .string("16230")]),
            .object(["stopId": .string("16299"), "routeId": .string("100")]),
        ])))
        XCTAssertEqual(alert.observedAt.iso8601, "2010-09-14T09:44:28.000000Z")
        XCTAssertNil(alert.attributes["warnings"])
    }

    // MARK: State across fetches

    func testAnUnchangedEntityYieldsNothingAndAChangedOneYieldsAgain() throws {
        var connector = try connector(#"{"agency": "bus"}"#)
        func feed(latitude: Float) -> Data {
            var writer = ProtobufWriter()
            GTFSFeed.header(&writer)
            GTFSFeed.vehicle(&writer, entity: "a", vehicle: "101")
            GTFSFeed.vehicle(&writer, entity: "b", vehicle: "102", latitude: latitude)
            return writer.data
        }
        let first = try connector.decode(testKit.envelope(feed(latitude: 48.80)))
        XCTAssertEqual(events(first, "VehiclePosition").map(\.entity), ["urn:ngsi-ld:Vehicle:bus:101", "urn:ngsi-ld:Vehicle:bus:102"])
        XCTAssertEqual(try connector.decode(testKit.envelope(feed(latitude: 48.80))).count, 0)
        let third = try connector.decode(testKit.envelope(feed(latitude: 48.81)))
        XCTAssertEqual(third.map(\.entity), ["urn:ngsi-ld:Vehicle:bus:102"])
        XCTAssertNotEqual(third[0].id, events(first, "VehiclePosition")[1].id, "new content, new event id, same timestamp")
    }

    func testDifferentialFeedsUpdateAndDeleteEntities() throws {
        var connector = try connector()
        var full = ProtobufWriter()
        GTFSFeed.header(&full)
        GTFSFeed.vehicle(&full, entity: "a", vehicle: "101")
        GTFSFeed.vehicle(&full, entity: "b", vehicle: "102")
        XCTAssertEqual(events(try connector.decode(testKit.envelope(full.data)), "VehiclePosition").count, 2)

        // A differential update names only what changed; "a" is untouched and stays known.
        var update = ProtobufWriter()
        GTFSFeed.header(&update, differential: true)
        GTFSFeed.vehicle(&update, entity: "b", vehicle: "102", latitude: 48.9)
        GTFSFeed.deleted(&update, entity: "a")
        let decoded = try connector.decode(testKit.envelope(update.data))
        XCTAssertEqual(decoded.map(\.type), ["VehiclePosition", "FeedEntityDeleted"])
        XCTAssertEqual(decoded[1].attributes["entityId"], .text("a"))

        // Deleting what is no longer known yields nothing more; "a" coming back is news again.
        var again = ProtobufWriter()
        GTFSFeed.header(&again, differential: true)
        GTFSFeed.deleted(&again, entity: "a")
        GTFSFeed.vehicle(&again, entity: "b", vehicle: "102", latitude: 48.9)
        XCTAssertEqual(try connector.decode(testKit.envelope(again.data)).count, 0)
        XCTAssertEqual(events(try connector.decode(testKit.envelope(full.data)), "VehiclePosition").map(\.entity),
                       ["urn:ngsi-ld:Vehicle:101", "urn:ngsi-ld:Vehicle:102"])
    }

    // MARK: Trip updates and validator rules

    func testTripUpdateCarriesPerStopDelaysAndOrderWarnings() throws {
        var connector = try connector()
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer)
        GTFSFeed.tripUpdate(&writer, entity: "t", trip: "trip-9", stops: [
            (sequence: 1, arrival: 1_795_334_100, departure: 1_795_334_130, delay: 60),
            (sequence: 3, arrival: 1_795_334_200, departure: 1_795_334_190, delay: 120),  // E025: departs before it arrives
            (sequence: 2, arrival: 1_795_334_150, departure: nil, delay: nil),            // E002 and E022
        ])
        let update = try XCTUnwrap(events(try connector.decode(testKit.envelope(writer.data)), "TripUpdate").first)
        XCTAssertEqual(update.entity, "urn:ngsi-ld:Trip:trip-9")
        XCTAssertEqual(update.attributes["routeId"], .text("route-7"))
        guard case .json(.array(let stops))? = update.attributes["stopTimeUpdates"] else { return XCTFail("no stops") }
        XCTAssertEqual(stops.count, 3)
        XCTAssertEqual(stops[0]["arrival"]?["delay"], .number(60))
        XCTAssertEqual(stops[0]["arrival"]?["time"], .number(1_795_334_100), "POSIX seconds, as the feed gives them")
        XCTAssertEqual(stops[1]["stopId"], .string("stop-3"))
        guard case .json(.array(let warnings))? = update.attributes["warnings"] else { return XCTFail("no warnings") }
        let rules = warnings.compactMap { $0.stringValue?.prefix(4) }.map(String.init)
        XCTAssertEqual(rules.sorted(), ["E002", "E022", "E022", "E025"])
    }

    func testVehicleRulesPosixPositionBearingAndHeaderTime() throws {
        var connector = try connector()
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer, timestamp: 1_795_334_000)
        GTFSFeed.vehicle(&writer, entity: "ms", vehicle: "1", timestamp: 1_795_333_990_000)    // E001 (milliseconds)
        GTFSFeed.vehicle(&writer, entity: "late", vehicle: "2", timestamp: 1_795_334_500)     // E012
        GTFSFeed.vehicle(&writer, entity: "far", vehicle: "3", latitude: 95, bearing: 400)    // E026, E027
        let decoded = try connector.decode(testKit.envelope(writer.data))
        func rules(_ vehicle: String) -> [String] {
            guard case .json(.array(let list))? = decoded.first(where: { $0.attributes["vehicleId"] == .text(vehicle) })?.attributes["warnings"]
            else { return [] }
            return list.compactMap { $0.stringValue.map { String($0.prefix(4)) } }
        }
        XCTAssertEqual(rules("1"), ["E001", "E012"])
        XCTAssertEqual(rules("2"), ["E012"])
        XCTAssertEqual(rules("3"), ["E026", "E027"])
        XCTAssertNil(decoded.first { $0.attributes["vehicleId"] == .text("3") }?.location, "no location out of range")
        let quality = try XCTUnwrap(decoded.first { $0.type == "FeedQuality" })
        XCTAssertEqual(quality.attributes["warnings"], .json(.object([
            "E001": .number(1), "E012": .number(2), "E026": .number(1), "E027": .number(1),
        ])))
    }

    func testAnAlertWithoutInformedEntityIsWarnedNotRefused() throws {
        var connector = try connector()
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer)
        writer.message(2) { entity in
            entity.string(1, "alert-1")
            entity.message(5) { alert in
                alert.uint(6, 4)  // STRIKE
                alert.message(10) { text in
                    text.message(1) { translation in translation.string(1, "Grève"); translation.string(2, "fr") }
                    text.message(1) { translation in translation.string(1, "Strike"); translation.string(2, "en") }
                }
            }
        }
        let alert = try XCTUnwrap(try connector.decode(testKit.envelope(writer.data)).first { $0.type == "ServiceAlert" })
        XCTAssertEqual(alert.attributes["header"], .json(.object(["fr": .string("Grève"), "en": .string("Strike")])))
        XCTAssertEqual(alert.attributes["cause"], .text("STRIKE"))
        XCTAssertEqual(alert.attributes["warnings"], .json(.array([.string("E032 alert has no informed_entity: alert alert-1 does not have an informed_entity")])))
    }

    func testUnknownFieldsExtensionsAndGroupsAreSkipped() throws {
        var plain = ProtobufWriter()
        GTFSFeed.header(&plain)
        GTFSFeed.vehicle(&plain, entity: "a", vehicle: "101")
        var extended = ProtobufWriter()
        GTFSFeed.header(&extended)
        GTFSFeed.vehicle(&extended, entity: "a", vehicle: "101") { position in
            position.string(1000, "an extension (field 1000) a producer added")
            position.uint(1001, 7)
            position.tag(1002, 1); position.bytes += [1, 2, 3, 4, 5, 6, 7, 8]   // fixed64
            position.tag(1003, 3)                                             // a group with a nested group
            position.uint(1, 5)
            position.tag(2, 3); position.uint(1, 6); position.tag(2, 4)
            position.tag(1003, 4)
        }
        extended.float(99, 1.5)  // unknown top-level field
        var plainConnector = try connector()
        var extendedConnector = try connector()
        let expected = try plainConnector.decode(testKit.envelope(plain.data))
        let decoded = try extendedConnector.decode(testKit.envelope(extended.data))
        XCTAssertEqual(decoded.count, 1)
        XCTAssertEqual(decoded[0].attributes.filter { $0.key != "warnings" }, expected[0].attributes.filter { $0.key != "warnings" })
        XCTAssertEqual(decoded[0].attributes["status"], .text("STOPPED_AT"))
        XCTAssertEqual(decoded[0].attributes["speed"], .number(8.5, unit: "MTS"))
    }

    // MARK: Broken bytes become dead letters with a reason

    private func reason(_ bytes: [UInt8]) throws -> String {
        var connector = try connector()
        return testKit.connectorError { try connector.decode(testKit.envelope(Data(bytes))) }?.message ?? ""
    }

    func testBrokenProtobufIsRefusedWithAReason() throws {
        let valid = try testKit.fixture("gtfs-rt/bullrunner-vehicle-positions.pb")
        XCTAssertTrue(try reason(Array(valid.prefix(200))).contains("runs past the end"), "truncated in an entity")
        XCTAssertTrue(try reason(Array(valid.prefix(1))).contains("truncated varint"))
        XCTAssertTrue(try reason([0x08] + Array(repeating: 0xFF, count: 10) + [0x01]).contains("varint longer than 10 bytes"))
        XCTAssertTrue(try reason([0x0A, 0x7F, 0x0A]).contains("length 127 runs past the end of the data (1 bytes left) at byte 1"))
        XCTAssertTrue(try reason([0x0F]).contains("invalid wire type 7"))
        XCTAssertTrue(try reason([0x00]).contains("invalid field number 0"))
        XCTAssertTrue(try reason([0x1C]).contains("end of group 3 without a start"))
        XCTAssertTrue(try reason([0x1B, 0x08, 0x01]).contains("group 3 has no end tag"))
        XCTAssertTrue(try reason([]).contains("without its required header"), "an empty payload is not a feed")
        XCTAssertTrue(try reason(Array("{\"not\": \"protobuf\"}".utf8)).hasPrefix("not a GTFS-Realtime FeedMessage"))
        var noID = ProtobufWriter()
        GTFSFeed.header(&noID)
        noID.message(2) { entity in entity.uint(2, 0) }
        XCTAssertTrue(try reason(noID.bytes).contains("FeedEntity without its required id"))
        let deep = Array(repeating: UInt8(0x1B), count: 200)  // group 3 opened 200 times
        XCTAssertTrue(try reason(deep).contains("nested too deeply"))
    }

    /// Random and mutated bytes, from a fixed seed so that a failure replays: the decoder returns
    /// events or throws a ConnectorError, never crashes or hangs.
    func testRandomAndMutatedBytesNeverCrashTheDecoder() throws {
        var random = SeededGenerator(seed: 0x6774_6673_2D72_74)
        let seeds = try ["gtfs-rt/bullrunner-vehicle-positions.pb", "gtfs-rt/alerts.pb", "gtfs-rt/vehicle_position.pb"]
            .map { Array(try testKit.fixture($0)) }
        var connector = try connector()
        var decodedCount = 0, refusedCount = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 4 == 0 {
                bytes = (0..<Int(random.next() % 256)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = seeds[Int(random.next() % UInt64(seeds.count))]
                for _ in 0...(random.next() % 4) {
                    guard !bytes.isEmpty else { break }
                    let index = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 4 {
                    case 0: bytes[index] ^= UInt8(1 << (random.next() % 8))
                    case 1: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                    case 2: bytes.removeSubrange(index...)
                    default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                    }
                }
            }
            do {
                _ = try connector.decode(testKit.envelope(Data(bytes)))
                decodedCount += 1
            } catch is ConnectorError {
                refusedCount += 1
            }
        }
        XCTAssertEqual(decodedCount + refusedCount, 20_000)
        XCTAssertGreaterThan(decodedCount, 0, "some mutations leave a valid feed")
        XCTAssertGreaterThan(refusedCount, 0)
    }

    func testSettingsAreChecked() throws {
        XCTAssertThrowsError(try connector(#"{"agency": "a b"}"#))
        XCTAssertThrowsError(try connector(#"{"agenzy": "a"}"#))
    }
}
