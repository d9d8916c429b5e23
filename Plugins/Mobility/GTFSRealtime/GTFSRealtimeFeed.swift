/// A GTFS-Realtime `FeedMessage` decoded from the protobuf wire format: its header, and its
/// entities one at a time (`Entities`), with the parts of the fixed schema
/// (gtfs-realtime.proto) that the hub turns into events. Fields it does not read (shapes, stops,
/// trip modifications, extensions) are skipped without being kept.
struct GTFSRealtimeFeed {
    /// `FeedHeader`.
    struct Header {
        var version: String?
        /// 0 FULL_DATASET, 1 DIFFERENTIAL.
        var incrementality: UInt64 = 0
        var timestamp: UInt64?
        var feedVersion: String?
    }

    /// `TripDescriptor`.
    struct Trip: Equatable {
        var tripID: String?
        var routeID: String?
        var directionID: UInt32?
        var startTime: String?
        var startDate: String?
        var scheduleRelationship: UInt64?
    }

    /// `VehicleDescriptor`.
    struct Vehicle {
        var id: String?
        var label: String?
        var licensePlate: String?
    }

    /// `Position`.
    struct Position {
        var latitude: Float?
        var longitude: Float?
        var bearing: Float?
        var odometer: Double?
        var speed: Float?
    }

    /// `VehiclePosition`.
    struct VehiclePosition {
        var trip: Trip?
        var vehicle: Vehicle?
        var position: Position?
        var currentStopSequence: UInt32?
        var stopID: String?
        var currentStatus: UInt64?
        var timestamp: UInt64?
        var congestionLevel: UInt64?
        var occupancyStatus: UInt64?
        var occupancyPercentage: UInt32?
    }

    /// `TripUpdate.StopTimeEvent`.
    struct StopTimeEvent {
        var delay: Int32?
        var time: Int64?
        var uncertainty: Int32?
    }

    /// `TripUpdate.StopTimeUpdate`.
    struct StopTimeUpdate {
        var stopSequence: UInt32?
        var stopID: String?
        var arrival: StopTimeEvent?
        var departure: StopTimeEvent?
        var scheduleRelationship: UInt64?
    }

    /// `TripUpdate`.
    struct TripUpdate {
        var trip: Trip?
        var vehicle: Vehicle?
        var stopTimeUpdates: [StopTimeUpdate] = []
        var timestamp: UInt64?
        var delay: Int32?
    }

    /// `TimeRange`.
    struct TimeRange {
        var start: UInt64?
        var end: UInt64?
    }

    /// `EntitySelector`.
    struct EntitySelector {
        var agencyID: String?
        var routeID: String?
        var routeType: Int32?
        var trip: Trip?
        var stopID: String?
        var directionID: UInt32?
    }

    /// `TranslatedString.Translation`.
    struct Translation {
        var text: String?
        var language: String?
    }

    /// `Alert`.
    struct Alert {
        var activePeriods: [TimeRange] = []
        var informedEntities: [EntitySelector] = []
        var cause: UInt64?
        var effect: UInt64?
        var severityLevel: UInt64?
        var url: [Translation] = []
        var headerText: [Translation] = []
        var descriptionText: [Translation] = []
    }

    /// `FeedEntity`, with a hash of its encoded bytes that tells whether it changed since the last fetch.
    struct Entity {
        var id: String?
        var isDeleted = false
        var tripUpdate: TripUpdate?
        var vehicle: VehiclePosition?
        var alert: Alert?
        /// FNV-1a over the entity's bytes as they arrived.
        var contentHash: UInt64 = 0
    }

    /// The feed's header.
    var header: Header
    /// How many entities the feed holds.
    var entityCount: Int

    /// Reads a `FeedMessage`'s header and counts its entities, checking that every top-level field
    /// is well formed; throws where it is not, or where the header or a field of it that
    /// gtfs-realtime.proto marks `required` is missing. The entities themselves are decoded one at
    /// a time by `Entities`, so that a feed of thousands is never held whole.
    init(bytes: UnsafeRawBufferPointer) throws(ProtobufError) {
        var reader = ProtobufReader(bytes)
        var header: Header?
        var count = 0
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited):
                var nested = try reader.readLengthDelimited()
                var merged = header ?? Header()
                try merged.merge(&nested)
                header = merged
            case (2, .lengthDelimited):
                _ = try reader.readLengthDelimited()
                count += 1
            default:
                try reader.skip(tag.wireType, field: tag.field)
            }
        }
        guard let header else { throw ProtobufError("FeedMessage without its required header", at: 0) }
        guard header.version != nil else { throw ProtobufError("FeedHeader without its required gtfs_realtime_version", at: 0) }
        self.header = header
        entityCount = count
    }

    /// The entities of the `FeedMessage` in some bytes, decoded one at a time in their order.
    struct Entities {
        private var reader: ProtobufReader

        /// The entities of the feed in `bytes`.
        init(in bytes: UnsafeRawBufferPointer) { reader = ProtobufReader(bytes) }

        /// The next entity, nil after the last; throws where an entity is not well formed or
        /// lacks a field marked `required`.
        mutating func next() throws(ProtobufError) -> Entity? {
            while !reader.isAtEnd {
                let tag = try reader.readTag()
                guard tag.field == 2, tag.wireType == .lengthDelimited else {
                    try reader.skip(tag.wireType, field: tag.field)
                    continue
                }
                let start = reader.position
                var nested = try reader.readLengthDelimited()
                var entity = Entity()
                entity.contentHash = fnv1a(nested.remainingBytes)
                try entity.merge(&nested)
                guard entity.id != nil else { throw ProtobufError("FeedEntity without its required id", at: start) }
                return entity
            }
            return nil
        }
    }

    /// The 64-bit FNV-1a hash of some bytes: deterministic across runs, cheap, and good enough to
    /// tell whether an entity's bytes changed.
    static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

// MARK: - Decoding each message type (fields by number from gtfs-realtime.proto)

private extension ProtobufReader {
    mutating func uint32() throws(ProtobufError) -> UInt32 { UInt32(truncatingIfNeeded: try readVarint()) }
    mutating func int32() throws(ProtobufError) -> Int32 { Int32(truncatingIfNeeded: try readVarint()) }
    mutating func int64() throws(ProtobufError) -> Int64 { Int64(bitPattern: try readVarint()) }

    /// Decodes a nested message field into `value` (merging, as protobuf does for repeated
    /// occurrences), in place: the messages holding others are a few hundred bytes.
    mutating func merge<T>(_ value: inout T?, empty: T, _ body: (inout T, inout ProtobufReader) throws(ProtobufError) -> Void) throws(ProtobufError) {
        var nested = try readLengthDelimited()
        if value == nil { value = empty }
        try body(&value!, &nested)
    }

    /// Decodes one element of a repeated message field.
    mutating func append<T>(to list: inout [T], empty: T, _ body: (inout T, inout ProtobufReader) throws(ProtobufError) -> Void) throws(ProtobufError) {
        var nested = try readLengthDelimited()
        var element = empty
        try body(&element, &nested)
        list.append(element)
    }
}

extension GTFSRealtimeFeed.Header {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): version = try reader.readString()
            case (2, .varint): incrementality = try reader.readVarint()
            case (3, .varint): timestamp = try reader.readVarint()
            case (4, .lengthDelimited): feedVersion = try reader.readString()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Entity {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): id = try reader.readString()
            case (2, .varint): isDeleted = try reader.readVarint() != 0
            case (3, .lengthDelimited):
                let start = reader.position
                try reader.merge(&tripUpdate, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
                guard tripUpdate?.trip != nil else { throw ProtobufError("TripUpdate without its required trip", at: start) }
            case (4, .lengthDelimited):
                try reader.merge(&vehicle, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (5, .lengthDelimited):
                try reader.merge(&alert, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Trip {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): tripID = try reader.readString()
            case (2, .lengthDelimited): startTime = try reader.readString()
            case (3, .lengthDelimited): startDate = try reader.readString()
            case (4, .varint): scheduleRelationship = try reader.readVarint()
            case (5, .lengthDelimited): routeID = try reader.readString()
            case (6, .varint): directionID = try reader.uint32()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Vehicle {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): id = try reader.readString()
            case (2, .lengthDelimited): label = try reader.readString()
            case (3, .lengthDelimited): licensePlate = try reader.readString()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Position {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        let start = reader.position
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .fixed32): latitude = try reader.readFloat()
            case (2, .fixed32): longitude = try reader.readFloat()
            case (3, .fixed32): bearing = try reader.readFloat()
            case (4, .fixed64): odometer = try reader.readDouble()
            case (5, .fixed32): speed = try reader.readFloat()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
        guard latitude != nil, longitude != nil else {
            throw ProtobufError("Position without its required latitude and longitude", at: start)
        }
    }
}

extension GTFSRealtimeFeed.VehiclePosition {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited):
                try reader.merge(&trip, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (2, .lengthDelimited):
                try reader.merge(&position, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (3, .varint): currentStopSequence = try reader.uint32()
            case (4, .varint): currentStatus = try reader.readVarint()
            case (5, .varint): timestamp = try reader.readVarint()
            case (6, .varint): congestionLevel = try reader.readVarint()
            case (7, .lengthDelimited): stopID = try reader.readString()
            case (8, .lengthDelimited):
                try reader.merge(&vehicle, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (9, .varint): occupancyStatus = try reader.readVarint()
            case (10, .varint): occupancyPercentage = try reader.uint32()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.StopTimeEvent {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .varint): delay = try reader.int32()
            case (2, .varint): time = try reader.int64()
            case (3, .varint): uncertainty = try reader.int32()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.StopTimeUpdate {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .varint): stopSequence = try reader.uint32()
            case (2, .lengthDelimited):
                try reader.merge(&arrival, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (3, .lengthDelimited):
                try reader.merge(&departure, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (4, .lengthDelimited): stopID = try reader.readString()
            case (5, .varint): scheduleRelationship = try reader.readVarint()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.TripUpdate {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited):
                try reader.merge(&trip, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (2, .lengthDelimited):
                try reader.append(to: &stopTimeUpdates, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (3, .lengthDelimited):
                try reader.merge(&vehicle, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (4, .varint): timestamp = try reader.readVarint()
            case (5, .varint): delay = try reader.int32()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.TimeRange {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .varint): start = try reader.readVarint()
            case (2, .varint): end = try reader.readVarint()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.EntitySelector {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): agencyID = try reader.readString()
            case (2, .lengthDelimited): routeID = try reader.readString()
            case (3, .varint): routeType = try reader.int32()
            case (4, .lengthDelimited):
                try reader.merge(&trip, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (5, .lengthDelimited): stopID = try reader.readString()
            case (6, .varint): directionID = try reader.uint32()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Translation {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        let start = reader.position
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited): text = try reader.readString()
            case (2, .lengthDelimited): language = try reader.readString()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
        guard text != nil else { throw ProtobufError("Translation without its required text", at: start) }
    }

    /// Decodes a `TranslatedString`'s translations, appending them to `list`.
    static func appendTranslatedString(_ list: inout [Self], from reader: inout ProtobufReader) throws(ProtobufError) {
        var nested = try reader.readLengthDelimited()
        while !nested.isAtEnd {
            let tag = try nested.readTag()
            if tag.field == 1, tag.wireType == .lengthDelimited {
                try nested.append(to: &list, empty: .init()) { (value, inner) throws(ProtobufError) in try value.merge(&inner) }
            } else {
                try nested.skip(tag.wireType, field: tag.field)
            }
        }
    }
}

extension GTFSRealtimeFeed.Alert {
    mutating func merge(_ reader: inout ProtobufReader) throws(ProtobufError) {
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.field, tag.wireType) {
            case (1, .lengthDelimited):
                try reader.append(to: &activePeriods, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (5, .lengthDelimited):
                try reader.append(to: &informedEntities, empty: .init()) { (value, nested) throws(ProtobufError) in try value.merge(&nested) }
            case (6, .varint): cause = try reader.readVarint()
            case (7, .varint): effect = try reader.readVarint()
            case (8, .lengthDelimited): try GTFSRealtimeFeed.Translation.appendTranslatedString(&url, from: &reader)
            case (10, .lengthDelimited): try GTFSRealtimeFeed.Translation.appendTranslatedString(&headerText, from: &reader)
            case (11, .lengthDelimited): try GTFSRealtimeFeed.Translation.appendTranslatedString(&descriptionText, from: &reader)
            case (14, .varint): severityLevel = try reader.readVarint()
            default: try reader.skip(tag.wireType, field: tag.field)
            }
        }
    }
}
