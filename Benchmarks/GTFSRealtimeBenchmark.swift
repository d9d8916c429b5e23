import Foundation
import HubCore
import HubServices
import MobilityPlugin

/// Benchmark 3: GTFS-Realtime decoding of one large generated feed (vehicle positions and trip
/// updates with stop times) by the hub's connector, beside the official Python bindings
/// (gtfs-realtime-bindings, whose protobuf runtime parses in C) parsing and walking the same bytes.
enum GTFSRealtimeBenchmark {
    struct Result {
        var entities: Int
        var bytes: Int
        var hubRate: Double
        /// Entities per second decoded from the wire into the feed model only, without making events.
        var wireRate: Double
        /// Entities per second with the Python bindings; nil when no Python was given.
        var baselineRate: Double?
    }

    /// How many times each side decodes the feed; the fastest run counts.
    static let runs = 5

    static func run(entities count: Int, python: String?, workDirectory: URL) throws -> Result {
        let feed = generate(entities: count)
        var best = Double.infinity
        var decoded = 0
        for _ in 0..<runs {
            var connector = try GTFSRealtimeConnector(settings: Settings(.object([:])))
            let envelope = Envelope(route: "bench", source: .feed, origin: "bench", payload: feed, receivedAt: .now())
            let start = DispatchTime.now()
            let events = try connector.decode(envelope)
            best = min(best, DecodeBenchmark.seconds(since: start))
            decoded = events.filter { $0.type != "FeedQuality" }.count
        }
        guard decoded == count else { throw BenchError("the hub decoded \(decoded) of \(count) GTFS-RT entities") }
        var wireBest = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now()
            let entities = try GTFSRealtimeConnector.entityCount(of: feed)
            wireBest = min(wireBest, DecodeBenchmark.seconds(since: start))
            guard entities == count else { throw BenchError("the hub read \(entities) of \(count) GTFS-RT entities") }
        }
        var baselineRate: Double?
        if let python {
            let file = workDirectory.appendingPathComponent("gtfs-rt-bench.pb")
            try feed.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let (entities, seconds) = try runPython(python, file: file)
            guard entities == count else { throw BenchError("the Python bindings read \(entities) of \(count) entities") }
            baselineRate = Double(count) / seconds
        }
        return Result(entities: count, bytes: feed.count, hubRate: Double(count) / best, wireRate: Double(count) / wireBest, baselineRate: baselineRate)
    }

    /// Parses and walks the feed with the bindings, touching every field the hub turns into events.
    private static let walkScript = """
    import sys, time
    from google.transit import gtfs_realtime_pb2
    data = open(sys.argv[1], "rb").read()
    best = None
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        feed = gtfs_realtime_pb2.FeedMessage()
        feed.ParseFromString(data)
        walked = 0
        for entity in feed.entity:
            if entity.HasField("vehicle"):
                v = entity.vehicle
                _ = (entity.id, v.trip.trip_id, v.trip.route_id, v.position.latitude, v.position.longitude,
                     v.position.bearing, v.position.speed, v.vehicle.id, v.vehicle.label, v.timestamp,
                     v.current_status, v.current_stop_sequence, v.stop_id, v.occupancy_status)
            if entity.HasField("trip_update"):
                t = entity.trip_update
                _ = (entity.id, t.trip.trip_id, t.trip.route_id, t.vehicle.id, t.timestamp, t.delay)
                for s in t.stop_time_update:
                    _ = (s.stop_sequence, s.stop_id, s.arrival.delay, s.arrival.time, s.departure.delay,
                         s.departure.time, s.schedule_relationship)
            walked += 1
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(walked, best)
    """

    private static func runPython(_ python: String, file: URL) throws -> (entities: Int, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", walkScript, file.path, String(runs)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let words = text.split(whereSeparator: \.isWhitespace)
        guard process.terminationStatus == 0, words.count == 2, let entities = Int(words[0]), let seconds = Double(words[1]) else {
            throw BenchError("the Python baseline failed (is gtfs-realtime-bindings installed? run scripts/bench): \(text)")
        }
        return (entities, seconds)
    }

    // MARK: - A large feed

    /// A FULL_DATASET feed: three vehicle positions for each trip update; every trip update has
    /// 12 stop time updates. Deterministic, so every run measures the same bytes.
    static func generate(entities count: Int) -> Data {
        var out = ProtobufWriter()
        let start: UInt64 = 1_795_334_400
        out.message(1) { header in
            header.string(1, "2.0")
            header.uint(2, 0)
            header.uint(3, start)
        }
        for index in 0..<count {
            out.message(2) { entity in
                entity.string(1, "e\(index)")
                if index % 4 == 3 {
                    entity.message(3) { update in
                        update.message(1) { trip in
                            trip.string(1, "trip-\(index)")
                            trip.string(5, "route-\(index % 40)")
                        }
                        for stop in 0..<12 {
                            update.message(2) { stopTime in
                                stopTime.uint(1, UInt64(stop + 1))
                                stopTime.string(4, "stop-\((index + stop) % 3000)")
                                stopTime.message(2) { arrival in
                                    arrival.uint(1, UInt64(bitPattern: Int64(index % 300 - 60)))
                                    arrival.uint(2, start + UInt64(stop * 120))
                                }
                                stopTime.message(3) { departure in departure.uint(2, start + UInt64(stop * 120 + 30)) }
                            }
                        }
                        update.message(3) { vehicle in vehicle.string(1, "bus-\(index % 900)") }
                        update.uint(4, start - 5)
                    }
                } else {
                    entity.message(4) { position in
                        position.message(1) { trip in
                            trip.string(1, "trip-\(index)")
                            trip.string(5, "route-\(index % 40)")
                        }
                        position.message(2) { point in
                            point.float(1, 45.70 + Float(index % 1000) / 10_000)
                            point.float(2, 4.80 + Float(index % 777) / 10_000)
                            point.float(3, Float(index % 360))
                            point.float(5, Float(index % 20))
                        }
                        position.uint(3, UInt64(index % 30))
                        position.uint(4, 2)
                        position.uint(5, start - UInt64(index % 30))
                        position.string(7, "stop-\(index % 3000)")
                        position.message(8) { vehicle in
                            vehicle.string(1, "bus-\(index)")
                            vehicle.string(2, "Bus \(index)")
                        }
                        position.uint(9, UInt64(index % 7))
                    }
                }
            }
        }
        return Data(out.bytes)
    }
}
