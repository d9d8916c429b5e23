import Foundation
import HubCore
import XCTest

/// Fixtures, envelopes and settings for the mobility connector tests.
enum TestSupport {
    /// 2026-11-22T08:00:00Z, the receiving time of the test envelopes.
    static let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    /// The bytes of a fixture under `Fixtures/`, e.g. `gtfs-rt/alerts.pb`.
    static func fixture(_ path: String) throws -> Data {
        let url = URL(fileURLWithPath: path)
        let folder = (path as NSString).deletingLastPathComponent
        let found = try XCTUnwrap(
            Bundle.module.url(forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension,
                              subdirectory: folder.isEmpty ? "Fixtures" : "Fixtures/\(folder)"),
            "fixture \(path) is not in the test bundle")
        return try Data(contentsOf: found)
    }

    /// A feed envelope carrying `payload`.
    static func envelope(_ payload: Data, origin: String = "https://partner.example/feed", receivedAt: Timestamp = receivedAt) -> Envelope {
        Envelope(route: "mobility", source: .feed, origin: origin, payload: payload, receivedAt: receivedAt)
    }

    /// A feed envelope carrying `text` as UTF-8.
    static func envelope(_ text: String) -> Envelope { envelope(Data(text.utf8)) }

    /// Settings parsed from JSON text.
    static func settings(_ json: String = "{}") throws -> Settings {
        try Settings(JSONValue(parsing: json), path: "routes[0].settings")
    }

    /// The `ConnectorError` that `body` throws; fails the test when it throws nothing or something else.
    static func connectorError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ConnectorError? {
        do {
            let result = try body()
            XCTFail("expected a ConnectorError, got \(result)", file: file, line: line)
        } catch let error as ConnectorError {
            return error
        } catch {
            XCTFail("expected a ConnectorError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// Writes the protobuf wire format, to build GTFS-Realtime feeds (good and broken) in tests.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt8) { varint(UInt64(field) << 3 | UInt64(wireType)) }

    mutating func uint(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    mutating func int(_ field: Int, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, 5)
        let bits = value.bitPattern
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(index)))) }
    }

    mutating func string(_ field: Int, _ value: String) {
        tag(field, 2)
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        tag(field, 2)
        varint(UInt64(nested.bytes.count))
        bytes += nested.bytes
    }

    var data: Data { Data(bytes) }
}

/// Small GTFS-Realtime feeds built field by field (numbers from gtfs-realtime.proto).
enum GTFSFeed {
    static func header(_ writer: inout ProtobufWriter, timestamp: UInt64? = 1_795_334_000, differential: Bool = false) {
        writer.message(1) { header in
            header.string(1, "2.0")
            if differential { header.uint(2, 1) }
            if let timestamp { header.uint(3, timestamp) }
        }
    }

    static func vehicle(_ writer: inout ProtobufWriter, entity: String, vehicle: String, latitude: Float = 48.85,
                        longitude: Float = 2.35, bearing: Float? = 90, timestamp: UInt64? = 1_795_333_990,
                        extra: ((inout ProtobufWriter) -> Void)? = nil) {
        writer.message(2) { feedEntity in
            feedEntity.string(1, entity)
            feedEntity.message(4) { position in
                position.message(1) { trip in
                    trip.string(1, "trip-\(vehicle)")
                    trip.string(5, "route-7")
                }
                position.message(2) { point in
                    point.float(1, latitude)
                    point.float(2, longitude)
                    if let bearing { point.float(3, bearing) }
                    point.float(5, 8.5)
                }
                position.uint(3, 12)
                position.uint(4, 1)
                if let timestamp { position.uint(5, timestamp) }
                position.string(7, "stop-12")
                position.message(8) { descriptor in descriptor.string(1, vehicle) }
                position.uint(9, 2)
                extra?(&position)
            }
        }
    }

    /// A trip update with stops as (sequence, arrival time, departure time, arrival delay).
    static func tripUpdate(_ writer: inout ProtobufWriter, entity: String, trip: String, timestamp: UInt64? = 1_795_333_990,
                           stops: [(sequence: UInt64, arrival: Int64?, departure: Int64?, delay: Int64?)]) {
        writer.message(2) { feedEntity in
            feedEntity.string(1, entity)
            feedEntity.message(3) { update in
                update.message(1) { descriptor in
                    descriptor.string(1, trip)
                    descriptor.string(5, "route-7")
                }
                for stop in stops {
                    update.message(2) { stopTime in
                        stopTime.uint(1, stop.sequence)
                        stopTime.string(4, "stop-\(stop.sequence)")
                        if stop.arrival != nil || stop.delay != nil {
                            stopTime.message(2) { event in
                                if let delay = stop.delay { event.int(1, delay) }
                                if let arrival = stop.arrival { event.int(2, arrival) }
                            }
                        }
                        if let departure = stop.departure { stopTime.message(3) { event in event.int(2, departure) } }
                    }
                }
                if let timestamp { update.uint(4, timestamp) }
            }
        }
    }

    static func deleted(_ writer: inout ProtobufWriter, entity: String) {
        writer.message(2) { feedEntity in
            feedEntity.string(1, entity)
            feedEntity.uint(2, 1)
        }
    }
}
