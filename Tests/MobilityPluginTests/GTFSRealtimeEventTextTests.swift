import Foundation
import HubCore
import HubTesting
import MobilityPlugin
import XCTest

/// The events' ids and attribute texts the GTFS-Realtime connector makes, pinned byte for byte:
/// the store keeps and compares the text, and re-delivery is idempotent only while ids stay the
/// same. The values were taken from the connector before its event path was made faster
/// (attributes appended to a `String`, stop lists built as dictionaries); a change here changes
/// what every hub already stored.
final class GTFSRealtimeEventTextTests: XCTestCase {
    private let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    private func decode(_ payload: Data, settings: String = #"{"agency": "tcl"}"#) throws -> [Event] {
        var connector = try GTFSRealtimeConnector(settings: testKit.settings(settings))
        return try connector.decode(Envelope(route: "buses", source: .feed, origin: "https://partner.example/gtfs-rt",
                                             payload: payload, receivedAt: receivedAt))
    }

    /// One event per line: type, id, then the attributes' text.
    private func lines(_ events: [Event]) -> [String] {
        events.map { "\($0.type) \($0.id) \($0.attributesJSON)" }
    }

    func testVehiclePositionTripUpdateAndFeedQualityTexts() throws {
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer)
        GTFSFeed.vehicle(&writer, entity: "v1", vehicle: "bus-7", bearing: 400) { position in
            position.uint(6, 2)
            position.uint(10, 55)
            position.message(8) { descriptor in
                descriptor.string(2, "Ligne C3 \u{2013} \"Gare\"")
                descriptor.string(3, "AB-123-CD")
            }
        }
        GTFSFeed.tripUpdate(&writer, entity: "t1", trip: "trip-9", stops: [
            (sequence: 1, arrival: 1_795_334_100, departure: 1_795_334_130, delay: 60),
            (sequence: 3, arrival: 1_795_334_200, departure: 1_795_334_190, delay: -120),
            (sequence: 2, arrival: 1_795_334_150, departure: nil, delay: nil),
            (sequence: 4, arrival: nil, departure: nil, delay: 0),
        ])
        XCTAssertEqual(lines(try decode(writer.data)), [
            #"VehiclePosition 800660d8c4ba2580a134081e1c760482 {"bearing":{"unitCode":"DD","value":400},"congestion":{"value":"STOP_AND_GO"},"currentStopSequence":{"value":12},"entityId":{"value":"v1"},"licensePlate":{"value":"AB-123-CD"},"occupancy":{"value":"FEW_SEATS_AVAILABLE"},"occupancyPercentage":{"unitCode":"P1","value":55},"routeId":{"value":"route-7"},"speed":{"unitCode":"MTS","value":8.5},"status":{"value":"STOPPED_AT"},"stopId":{"value":"stop-12"},"tripId":{"value":"trip-bus-7"},"vehicleId":{"value":"bus-7"},"vehicleLabel":{"value":"Ligne C3 – \"Gare\""},"warnings":{"json":["E027 invalid vehicle bearing: vehicle_id bus-7 bearing 400.0 is not within 0-360"]}}"#,
            #"TripUpdate 800660d8c4ba2580f81fcb6387735042 {"entityId":{"value":"t1"},"routeId":{"value":"route-7"},"stopTimeUpdates":{"json":[{"arrival":{"delay":60,"time":1795334100},"departure":{"time":1795334130},"stopId":"stop-1","stopSequence":1},{"arrival":{"delay":-120,"time":1795334200},"departure":{"time":1795334190},"stopId":"stop-3","stopSequence":3},{"arrival":{"time":1795334150},"stopId":"stop-2","stopSequence":2},{"arrival":{"delay":0},"stopId":"stop-4","stopSequence":4}]},"tripId":{"value":"trip-9"},"warnings":{"json":["E022 stop_time_update times not increasing: trip_id trip-9 stop_sequence 3 departure.time 1795334190 is before the previous time 1795334200","E025 departure before arrival: trip_id trip-9 stop_sequence 3 departure.time 1795334190 is before arrival.time 1795334200","E002 stop_time_updates not strictly sorted by stop_sequence: trip_id trip-9 stop_sequence 2 follows stop_sequence 3","E022 stop_time_update times not increasing: trip_id trip-9 stop_sequence 2 arrival.time 1795334150 is before the previous time 1795334190"]}}"#,
            #"FeedQuality 800660d8c552bc004eb343523baa3fe1 {"entities":{"value":2},"incrementality":{"value":"FULL_DATASET"},"warnings":{"json":{"E002":1,"E022":2,"E025":1,"E027":1}}}"#,
        ])
    }

    func testServiceAlertAndDeletedEntityTexts() throws {
        let alert = try decode(testKit.fixture("gtfs-rt/alerts.pb"))
        XCTAssertEqual(lines(alert), [#"ServiceAlert 800490350f1bf70066c76c63bd1cb590 {"activePeriods":{"json":[{"end":"2010-09-14T12:41:12.000000Z","start":"2010-09-14T09:44:28.000000Z"}]},"cause":{"value":"CONSTRUCTION"},"description":{"json":{"en":"Due to construction at Elm street the stop is closed. The temporary stop can be found 300 meters north at Oak street"}},"effect":{"value":"DETOUR"},"entityId":{"value":"0"},"header":{"json":{"en":"Stop at Elm street is closed, temporary stop at Oak street"}},"informedEntities":{"json":[{"routeId":"219"},{"stopId":"16230"},{"routeId":"100","stopId":"16299"}]},"url":{"json":{"en":"http://www.sometransitagency/alerts"}}}"#])
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer)
        GTFSFeed.deleted(&writer, entity: "gone é")
        XCTAssertEqual(lines(try decode(writer.data, settings: "{}")), [#"FeedEntityDeleted 800660d8c552bc00ddc04d9da13202f4 {"entityId":{"value":"gone é"}}"#])
    }

    /// The connector writes its attributes' text as it adds them (`EventAttributes`) instead of
    /// rendering the finished dictionary: the text must be exactly what rendering the values gives,
    /// for every field a vehicle position and a trip update can carry and every shape of stop time.
    func testWrittenTextIsTheRenderedValuesForEveryFieldAndStopShape() throws {
        var writer = ProtobufWriter()
        GTFSFeed.header(&writer)
        writer.message(2) { entity in
            entity.string(1, "v-all")
            entity.message(4) { vehicle in
                vehicle.message(1) { trip in
                    trip.string(1, "trip \"quoted\"")
                    trip.string(2, "08:15:00")
                    trip.string(3, "20261129")
                    trip.uint(4, 5)
                    trip.string(5, "route-\u{2028}")
                    trip.uint(6, 1)
                }
                vehicle.message(2) { position in
                    position.float(1, 45.75)
                    position.float(2, 4.85)
                    position.float(3, 123.5)
                    position.tag(4, 1)
                    position.raw(withUnsafeBytes(of: (98_765.25 as Double).bitPattern.littleEndian, Array.init))
                    position.float(5, 7.25)
                }
                vehicle.uint(3, 4)
                vehicle.uint(4, 9)  // a status the schema does not name
                vehicle.uint(5, 1_795_334_100)  // after the header's: a warning (E012)
                vehicle.uint(6, 3)
                vehicle.string(7, "stop-é")
                vehicle.message(8) { descriptor in
                    descriptor.string(1, "bus-1")
                    descriptor.string(2, "Ligne 1\tnuit")
                    descriptor.string(3, "AB-1")
                }
                vehicle.uint(9, 8)
                vehicle.uint(10, 120)
            }
        }
        writer.message(2) { entity in
            entity.string(1, "t-all")
            entity.message(3) { update in
                update.message(1) { trip in
                    trip.string(1, "trip-all")
                    trip.uint(4, 3)
                    trip.uint(6, 0)
                }
                // Every subset of a stop's five members, and of a stop time's three.
                for mask in 0..<32 {
                    update.message(2) { stop in
                        if mask & 16 != 0 { stop.uint(1, UInt64(mask)) }
                        if mask & 1 != 0 {
                            stop.message(2) { event in
                                if mask & 2 != 0 { event.int(1, -Int64(mask)) }
                                if mask & 4 != 0 { event.int(2, 1_795_334_000 + Int64(mask)) }
                                if mask & 8 != 0 { event.int(3, 30) }
                            }
                        }
                        if mask & 2 != 0 {
                            stop.message(3) { event in
                                if mask & 1 != 0 { event.int(2, 1_795_334_100 + Int64(mask)) }
                                if mask & 16 != 0 { event.int(3, Int64(mask)) }
                                if mask & 8 != 0 { event.int(1, 0) }
                            }
                        }
                        if mask & 8 != 0 { stop.string(4, "stop-\(mask)") }
                        if mask & 4 != 0 { stop.uint(5, UInt64(mask % 5)) }
                    }
                }
                update.message(3) { vehicle in vehicle.string(1, "bus-2") }
                update.uint(4, 1_795_333_995)
                update.int(5, -45)
            }
        }
        var events = try decode(writer.data)
        var alerts = try GTFSRealtimeConnector(settings: testKit.settings("{}"))
        events += try alerts.decode(Envelope(route: "alerts", source: .feed, origin: "fixture",
                                             payload: testKit.fixture("gtfs-rt/alerts.pb"), receivedAt: receivedAt))
        XCTAssertEqual(events.map(\.type), ["VehiclePosition", "TripUpdate", "FeedQuality", "ServiceAlert"])
        for event in events {
            XCTAssertEqual(event.attributesJSON, Event.render(event.attributes), event.type)
        }
        XCTAssertEqual(events[0].attributes.count, 20, "every attribute of a vehicle position, warnings included")
        XCTAssertEqual(events[0].attributes["status"], .text("9"))
        XCTAssertEqual(events[0].attributes["odometer"], .number(98_765.25, unit: "MTR"))
        guard case .json(.array(let stops))? = events[1].attributes["stopTimeUpdates"] else { return XCTFail("no stop list") }
        XCTAssertEqual(stops.count, 32)
        XCTAssertEqual(stops[0], .object([:]))
        XCTAssertEqual(stops[31], .object([
            "stopSequence": .number(31), "stopId": .string("stop-31"), "scheduleRelationship": .string("SKIPPED"),
            "arrival": .object(["delay": .number(-31), "time": .number(1_795_334_031), "uncertainty": .number(30)]),
            "departure": .object(["time": .number(1_795_334_131), "uncertainty": .number(31), "delay": .number(0)]),
        ]))
    }

    func testPublishedFixturesGiveThePinnedTexts() throws {
        // Every event of the published fixtures, as one SHA-256 over their lines.
        var all: [String] = []
        for fixture in ["gtfs-rt/bullrunner-vehicle-positions.pb", "gtfs-rt/vehicle_position.pb", "gtfs-rt/alerts.pb"] {
            all += lines(try decode(testKit.fixture(fixture)))
        }
        XCTAssertEqual(all.count, 14)
        XCTAssertEqual(SHA256.hash(Array(all.joined(separator: "\n").utf8)).hexString, "2616fb11b14ade34041c4cc9ae50f03ca58554eb47cef68a224216654514e3b4")
    }
}
