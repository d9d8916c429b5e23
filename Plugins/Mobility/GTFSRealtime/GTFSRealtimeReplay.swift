import Foundation

/// Replays a recorded GTFS-Realtime feed as if it were live: copies the FeedMessage field by field,
/// shifting every POSIX time in it (header, vehicle positions, trip updates and their stop times,
/// alerts' active periods) by the same number of seconds and moving each vehicle's position as the
/// caller says. Every other field, known or not, is copied byte for byte. Used by `hub demo`'s feed
/// server, so that a fixture's buses are seen moving now.
public enum GTFSRealtimeReplay {
    /// The feed header's `timestamp` (when the recording was made), nil when it has none.
    public static func headerTimestamp(of feed: Data) throws -> UInt64? {
        try feed.withUnsafeBytes { buffer throws -> UInt64? in
            var message = ProtobufReader(buffer)
            while !message.isAtEnd {
                let tag = try message.readTag()
                guard tag.field == 1, tag.wireType == .lengthDelimited else {
                    try message.skip(tag.wireType, field: tag.field)
                    continue
                }
                var header = try message.readLengthDelimited()
                while !header.isAtEnd {
                    let headerTag = try header.readTag()
                    if headerTag.field == 3, headerTag.wireType == .varint { return try header.readVarint() }
                    try header.skip(headerTag.wireType, field: headerTag.field)
                }
            }
            return nil
        }
    }

    /// `feed` with its times shifted by `seconds` and each vehicle position (the `index`-th entity,
    /// latitude, longitude) replaced by what `move` returns.
    /// - Throws: an error saying where the bytes are not a well-formed protobuf message.
    public static func replay(_ feed: Data, shiftingTimesBy seconds: Int64,
                              move: (_ index: Int, _ latitude: Float, _ longitude: Float) -> (latitude: Float, longitude: Float)) throws -> Data {
        try withoutActuallyEscaping(move) { move in
            var copier = Copier(shift: seconds, move: move)
            return try feed.withUnsafeBytes { buffer throws -> Data in
                var reader = ProtobufReader(buffer)
                var out = ProtobufWriter()
                try copier.copy(&reader, as: Kind.feed, into: &out)
                return out.data
            }
        }
    }

    /// The messages whose fields are rewritten, and what each field of them is.
    private enum Kind {
        case feed, header, entity, tripUpdate, stopTimeUpdate, stopTimeEvent, vehicle, alert, timeRange

        /// What field `field` holds: a nested message to copy by its own kind, or a time to shift.
        func child(_ field: Int) -> Child? {
            switch (self, field) {
            case (.feed, 1): .message(.header)
            case (.feed, 2): .message(.entity)
            case (.header, 3), (.tripUpdate, 4), (.stopTimeEvent, 2), (.vehicle, 5), (.timeRange, 1), (.timeRange, 2): .time
            case (.entity, 3): .message(.tripUpdate)
            case (.entity, 4): .message(.vehicle)
            case (.entity, 5): .message(.alert)
            case (.tripUpdate, 2): .message(.stopTimeUpdate)
            case (.stopTimeUpdate, 2), (.stopTimeUpdate, 3): .message(.stopTimeEvent)
            case (.alert, 1): .message(.timeRange)
            case (.vehicle, 2): .position
            default: nil
            }
        }
    }

    private enum Child {
        case message(Kind), time, position
    }

    private struct Copier {
        let shift: Int64
        let move: (Int, Float, Float) -> (latitude: Float, longitude: Float)
        var entityIndex = 0

        init(shift: Int64, move: @escaping (Int, Float, Float) -> (latitude: Float, longitude: Float)) {
            self.shift = shift
            self.move = move
        }

        mutating func copy(_ reader: inout ProtobufReader, as kind: Kind, into out: inout ProtobufWriter) throws {
            while !reader.isAtEnd {
                let start = reader.position
                let tag = try reader.readTag()
                switch kind.child(tag.field) {
                case .message(let nestedKind)? where tag.wireType == .lengthDelimited:
                    var nested = try reader.readLengthDelimited()
                    var copied = ProtobufWriter()
                    try copy(&nested, as: nestedKind, into: &copied)
                    if nestedKind == .entity { entityIndex += 1 }
                    out.message(tag.field) { $0.raw(copied.bytes) }
                case .time? where tag.wireType == .varint:
                    let time = Int64(bitPattern: try reader.readVarint())
                    out.uint(tag.field, UInt64(bitPattern: time == 0 ? 0 : time + shift))
                case .position? where tag.wireType == .lengthDelimited:
                    var position = try reader.readLengthDelimited()
                    try copyPosition(&position, field: tag.field, into: &out)
                default:
                    try reader.skip(tag.wireType, field: tag.field)
                    out.raw(reader.bytesRead(since: start))
                }
            }
        }

        /// A Position with its latitude (1) and longitude (2) moved; its other fields copied.
        private func copyPosition(_ reader: inout ProtobufReader, field: Int, into out: inout ProtobufWriter) throws {
            var latitude: Float?, longitude: Float?
            var others = ProtobufWriter()
            while !reader.isAtEnd {
                let start = reader.position
                let tag = try reader.readTag()
                switch (tag.field, tag.wireType) {
                case (1, .fixed32): latitude = try reader.readFloat()
                case (2, .fixed32): longitude = try reader.readFloat()
                default:
                    try reader.skip(tag.wireType, field: tag.field)
                    others.raw(reader.bytesRead(since: start))
                }
            }
            out.message(field) { position in
                if let latitude, let longitude {
                    let moved = move(entityIndex, latitude, longitude)
                    position.float(1, moved.latitude)
                    position.float(2, moved.longitude)
                } else {
                    if let latitude { position.float(1, latitude) }
                    if let longitude { position.float(2, longitude) }
                }
                position.raw(others.bytes)
            }
        }
    }
}
