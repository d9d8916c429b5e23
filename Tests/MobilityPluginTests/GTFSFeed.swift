import MobilityPlugin
import Foundation

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
