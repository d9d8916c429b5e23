import Foundation
import HubCore
import HubHTTP
import MobilityPlugin

/// The demo territory's transport partners, without an internet connection: serves the recorded
/// feeds of the demo folder (`demo/feeds`) over HTTP as if they were live. Each answer is the recording
/// with its times shifted to now and its positions moved to the demo city (where `hub simulate`'s
/// sensors are), so that everything shows on one map:
///
/// - `/gtfs-rt/vehicle-positions.pb`: GTFS-Realtime, re-encoded (`GTFSRealtimeReplay`); each bus
///   drives a loop of about 700 m around its recorded position, a lap every five minutes;
/// - `/gbfs/gbfs.json` and the files it lists: GBFS 3.0; `gbfs.json` points at this server, and
///   `station_status` gives every station of `station_information` a count of vehicles that changes
///   each minute (the recording's one status entry is the template);
/// - `/siri-lite/stop-monitoring.json`: SIRI-Lite StopMonitoring; expected times drift from the aimed
///   ones by a delay that changes every 20 seconds;
/// - `/waze/feed.json`: Waze for Cities, the recorded jams with the recorded alerts, anchored at the
///   moment the server started (a report is published once; the feed keeps it).
public final class PartnerFeedServer: HTTPHandler {
    /// The paths of the feeds it serves, for the demo configuration's routes.
    public static let feedPaths = ["/gtfs-rt/vehicle-positions.pb", "/gbfs/gbfs.json", "/siri-lite/stop-monitoring.json", "/waze/feed.json"]

    // Where each recording is moved to: Lyon, around hub simulate's grid of sensors.
    private static let busCentre = (latitude: 45.762, longitude: 4.842)
    private static let bikeCentre = (latitude: 45.755, longitude: 4.860)
    private static let trafficCentre = (latitude: 45.775, longitude: 4.870)

    private let clock: @Sendable () -> Timestamp
    private let gtfs: Data
    private let gtfsRecordedAt: Int64
    private let gtfsOffset: GeoOffset
    private let gbfs: [String: JSONValue]
    private let gbfsRecordedAt: Timestamp
    private let gbfsOffset: GeoOffset
    private let siri: JSONValue
    private let siriRecordedAt: Timestamp
    private let waze: JSONValue

    /// Loads the recordings of `folder` (`gtfs-rt/`, `gbfs/`, `siri-lite/`, `waze/`); `clock` says what now is.
    /// - Throws: `DemoAssetError` naming the file that is missing or unreadable.
    public init(folder: URL, clock: @escaping @Sendable () -> Timestamp = { .now() }) throws {
        self.clock = clock
        let now = clock()

        gtfs = try Self.read(folder, "gtfs-rt/vehicle-positions.pb")
        var recorded: [(latitude: Double, longitude: Double)] = []
        do {
            gtfsRecordedAt = Int64(try GTFSRealtimeReplay.headerTimestamp(of: gtfs) ?? 0)
            _ = try GTFSRealtimeReplay.replay(gtfs, shiftingTimesBy: 0) { _, latitude, longitude in
                recorded.append((Double(latitude), Double(longitude)))
                return (latitude, longitude)
            }
        } catch {
            throw DemoAssetError("\(folder.path)/gtfs-rt/vehicle-positions.pb is not a GTFS-Realtime feed: \(error)")
        }
        gtfsOffset = GeoOffset.centring(recorded, on: Self.busCentre)

        var gbfs: [String: JSONValue] = [:]
        for name in ["gbfs", "system_information", "station_information", "station_status", "vehicle_status", "vehicle_types"] {
            gbfs[name] = try Self.readJSON(folder, "gbfs/\(name).json")
        }
        self.gbfs = gbfs
        gbfsRecordedAt = Self.time(gbfs["gbfs"]?.objectValue?["last_updated"]) ?? now
        gbfsOffset = GeoOffset.centring(JSONFeedReplay.positions(in: gbfs["station_information"] ?? .null), on: Self.bikeCentre)

        siri = try Self.readJSON(folder, "siri-lite/stop-monitoring.json")
        siriRecordedAt = Self.time(siri.objectValue?["Siri"]?.objectValue?["ServiceDelivery"]?.objectValue?["ResponseTimestamp"]) ?? now

        let jams = try Self.readJSON(folder, "waze/jams.json"), alerts = try Self.readJSON(folder, "waze/alerts.json")
        var merged = jams.objectValue ?? [:]
        merged["alerts"] = alerts.objectValue?["alerts"] ?? .array([])
        let wazeRecordedAt = (jams.objectValue?["startTimeMillis"]?.numberValue).map { Int64($0) * 1000 } ?? now.microsecondsSinceEpoch
        let replay = JSONFeedReplay(shift: now.microsecondsSinceEpoch - wazeRecordedAt,
                                    offset: GeoOffset.centring(JSONFeedReplay.positions(in: jams), on: Self.trafficCentre))
        waze = replay.rewrite(.object(merged))
    }

    /// The feeds take no body.
    public func admit(_ head: HTTPRequest) -> RequestAdmission { .noBody }

    /// The feed at the request's path, replayed for now; 404 for any other path, 405 for any other method.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" else {
            return HTTPResponse.error(405, "method-not-allowed", "the partner feeds are read with GET").with(header: "Allow", "GET")
        }
        let now = clock()
        do {
            switch request.path {
            case "/gtfs-rt/vehicle-positions.pb":
                return HTTPResponse(status: 200, headers: ["Content-Type": "application/x-protobuf"], body: .bytes(try vehiclePositions(at: now)))
            case "/gbfs/gbfs.json":
                return .json(200, discovery(host: request.headers["host"] ?? "127.0.0.1", at: now))
            case "/siri-lite/stop-monitoring.json":
                return .json(200, stopMonitoring(at: now))
            case "/waze/feed.json":
                return .json(200, waze)
            default:
                let parts = request.pathComponents
                if parts.count == 2, parts[0] == "gbfs", parts[1].hasSuffix(".json"), let file = gbfsFile(String(parts[1].dropLast(5)), at: now) {
                    return .json(200, file)
                }
                return .error(404, "not-found", "no feed at \(request.path); feeds: \(Self.feedPaths.joined(separator: ", "))")
            }
        } catch {
            return .error(500, "replay-failed", "the recording could not be replayed: \(error)")
        }
    }

    // MARK: - GTFS-Realtime

    private func vehiclePositions(at now: Timestamp) throws -> Data {
        let seconds = now.microsecondsSinceEpoch / 1_000_000
        let lap = 300.0, radius = 0.003
        let turned = Double(seconds % Int64(lap)) / lap * 2 * Double.pi
        return try GTFSRealtimeReplay.replay(gtfs, shiftingTimesBy: gtfsRecordedAt == 0 ? 0 : seconds - gtfsRecordedAt) { index, latitude, longitude in
            let angle = turned + Double(index) * 0.7
            let centreLatitude = Double(latitude) + gtfsOffset.latitude, centreLongitude = Double(longitude) + gtfsOffset.longitude
            return (Float(centreLatitude + radius * sin(angle)),
                    Float(centreLongitude + radius * cos(angle) / cos(centreLatitude * Double.pi / 180)))
        }
    }

    // MARK: - GBFS

    private func gbfsReplay(at now: Timestamp) -> JSONFeedReplay {
        JSONFeedReplay(shift: now.microsecondsSinceEpoch - gbfsRecordedAt.microsecondsSinceEpoch, offset: gbfsOffset)
    }

    /// `gbfs.json` listing the files this server has, at its own address.
    private func discovery(host: String, at now: Timestamp) -> JSONValue {
        var document = gbfsReplay(at: now).rewrite(gbfs["gbfs"] ?? .null).objectValue ?? [:]
        var data = document["data"]?.objectValue ?? [:]
        let feeds = (data["feeds"]?.arrayValue ?? []).compactMap { feed -> JSONValue? in
            guard let name = feed.objectValue?["name"]?.stringValue, gbfs[name] != nil else { return nil }
            return .object(["name": .string(name), "url": .string("http://\(host)/gbfs/\(name).json")])
        }
        data["feeds"] = .array(feeds)
        document["data"] = .object(data)
        return .object(document)
    }

    private func gbfsFile(_ name: String, at now: Timestamp) -> JSONValue? {
        guard name != "gbfs", let file = gbfs[name] else { return nil }
        let replayed = gbfsReplay(at: now).rewrite(file)
        return name == "station_status" ? stationStatus(replayed, at: now) : replayed
    }

    /// The recorded status file with one entry per station of `station_information`, built on the
    /// recording's first entry, with counts that change each minute.
    private func stationStatus(_ recorded: JSONValue, at now: Timestamp) -> JSONValue {
        guard var document = recorded.objectValue, var data = document["data"]?.objectValue,
              let template = data["stations"]?.arrayValue?.first?.objectValue else { return recorded }
        let typeID = template["vehicle_types_available"]?.arrayValue?.first?.objectValue?["vehicle_type_id"] ?? .string("bike")
        let minute = Int(now.microsecondsSinceEpoch / 60_000_000)
        let stations = gbfs["station_information"]?.objectValue?["data"]?.objectValue?["stations"]?.arrayValue ?? []
        data["stations"] = .array(stations.enumerated().compactMap { index, station -> JSONValue? in
            guard let id = station.objectValue?["station_id"] else { return nil }
            let capacity = Int(station.objectValue?["capacity"]?.numberValue ?? 12)
            let vehicles = (index * 5 + minute) % (capacity + 1)
            var status = template
            status["station_id"] = id
            status["num_vehicles_available"] = .number(Double(vehicles))
            status["num_docks_available"] = .number(Double(capacity - vehicles))
            status["vehicle_types_available"] = .array([.object(["vehicle_type_id": typeID, "count": .number(Double(vehicles))])])
            status["last_reported"] = .string(now.iso8601)
            return .object(status)
        })
        document["data"] = .object(data)
        return .object(document)
    }

    // MARK: - SIRI-Lite

    private func stopMonitoring(at now: Timestamp) -> JSONValue {
        // A delay of -1 to +3 minutes, changing every 20 seconds.
        let step = Int64(now.microsecondsSinceEpoch / 20_000_000 % 9)
        var replay = JSONFeedReplay(shift: now.microsecondsSinceEpoch - siriRecordedAt.microsecondsSinceEpoch, offset: .zero)
        replay.adjust = { key, time in key.hasPrefix("Expected") ? time.adding(microseconds: (step * 30 - 60) * 1_000_000) : time }
        return replay.rewrite(siri)
    }

    // MARK: - Files

    private static func read(_ folder: URL, _ name: String) throws -> Data {
        do {
            return try Data(contentsOf: folder.appendingPathComponent(name))
        } catch {
            throw DemoAssetError("cannot read the demo recording \(folder.path)/\(name): \(error.localizedDescription)")
        }
    }

    private static func readJSON(_ folder: URL, _ name: String) throws -> JSONValue {
        do {
            return try JSONValue(parsing: try read(folder, name))
        } catch let error as DemoAssetError {
            throw error
        } catch {
            throw DemoAssetError("\(folder.path)/\(name) is not JSON: \(error)")
        }
    }

    private static func time(_ value: JSONValue?) -> Timestamp? {
        switch value {
        case .number(let seconds)?: Timestamp(microsecondsSinceEpoch: Int64(seconds) * 1_000_000)
        case .string(let text)?: Timestamp(iso8601: text)
        default: nil
        }
    }
}

/// A demo asset that is missing or unreadable.
public struct DemoAssetError: Error, CustomStringConvertible {
    /// Which file, and what is wrong with it.
    public var description: String
    init(_ description: String) { self.description = description }
}
