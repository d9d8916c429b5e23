import Foundation
import HubCore
import HubServices
import Synchronization

/// Every MQTT message the hub has taken from the broker, written to a file before it is handed to
/// its routes and marked done once its outcome is committed, so that a process that is killed
/// loses none of what it acknowledged: at the next start, what was taken and not marked done is
/// delivered again (event ids make a second delivery harmless).
///
/// libmosquitto acknowledges a QoS 1 message to the broker before the hub sees it, so between
/// that acknowledgement and the commit the message exists only in the hub. The journal makes that
/// window survive a process kill (`kill -9`, a crash, the OOM killer): each message is copied into
/// a segment file mapped into memory (`mmap`, shared), that is into the page cache, without a
/// system call and without `fsync`, so it does not survive the machine losing power or the kernel
/// crashing, like SQLite's WAL at `synchronous=NORMAL`. A segment's space is reserved when it is
/// created (`posix_fallocate`), so writing into the mapping never finds the disk full.
///
/// The journal is a folder of segment files (`<sequence>.journal`); a segment is deleted once every
/// message in it is done and a newer one is being written. A segment starts with `HUBJ` and a
/// version byte, then records, then zeros up to its reserved size; each record's first byte is
/// written last, so a kill in the middle of a copy leaves a zero where the record would start. Records: a message (`M`, sequence, receivedAt in µs, topic and payload with
/// their lengths, then its properties as a count and length-prefixed names and values) or done
/// marks (`D`, sequence). Done marks are buffered and written with the next
/// message (or every 256 marks): a mark lost in a kill only means one more harmless delivery.
public final class ReceiptJournal: Sendable {
    /// A message a previous run took and did not mark done.
    public struct Entry: Sendable {
        /// Its sequence in the journal.
        public var sequence: UInt64
        /// The topic it came on.
        public var topic: String
        /// Its bytes.
        public var payload: Data
        /// Its MQTT 5 properties, as the envelope carries them.
        public var headers: [String: String]
        /// When the hub first received it.
        public var receivedAt: Timestamp
    }

    /// The folder of segments.
    public let directory: URL
    private let logger: Logger
    private let state: Mutex<State>

    /// The size of a segment (larger for a message that would not fit in one).
    static let segmentBytes = 4 << 20
    private static let magic = Array("HUBJ".utf8) + [1]

    private struct Segment {
        var number: UInt64
        var descriptor: Int32
        /// The file, mapped: `capacity` bytes.
        var mapping: UnsafeMutableRawPointer
        var capacity: Int
        /// Bytes written so far.
        var bytes: Int
    }

    private struct State {
        var current: Segment?
        /// Messages not yet done, per segment number.
        var outstanding: [UInt64: Int] = [:]
        /// The segment of each message not yet done.
        var segmentOf: [UInt64: UInt64] = [:]
        var nextSequence: UInt64 = 1
        var doneMarks: [UInt64] = []
        var failed = false
    }

    /// What a previous run took and did not mark done, oldest first. Deliver each, then call
    /// `markDone` for it as for a new message.
    public let pending: [Entry]

    /// Opens the journal in `directory` (created if needed), reads what a previous run left in it
    /// and starts a new segment.
    /// - Throws: when the folder cannot be created or read, or a segment cannot be created.
    public init(directory: URL, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let recovered = try Self.recover(directory, logger: logger)
        pending = recovered.pending
        state = Mutex(recovered.state)
    }

    deinit {
        state.withLock { state in
            if let current = state.current { Self.close(current) }
        }
    }

    // MARK: - Recovery

    /// Reads every segment left in `directory`: the messages not marked done, the state that
    /// tracks them, and a new segment to write to. Segments with nothing left are deleted.
    private static func recover(_ directory: URL, logger: Logger) throws -> (pending: [Entry], state: State) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let numbers = names.compactMap { name -> UInt64? in
            guard name.hasSuffix(".journal") else { return nil }
            return UInt64(name.dropLast(".journal".count))
        }.sorted()
        var messages: [(entry: Entry, segment: UInt64)] = []
        var done = Set<UInt64>()
        var highest: UInt64 = 0
        for number in numbers {
            let url = segmentURL(number, in: directory)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            let (found, marks, intact) = read(data)
            if !intact {
                logger.warning("mqtt journal segment ends in a partial record (the hub was killed while writing it); the rest is read",
                               ["segment": url.lastPathComponent])
            }
            messages += found.map { ($0, number) }
            highest = max(highest, found.map(\.sequence).max() ?? 0)
            done.formUnion(marks)
        }
        let left = messages.filter { !done.contains($0.entry.sequence) }.sorted { $0.entry.sequence < $1.entry.sequence }
        var state = State()
        state.nextSequence = highest + 1
        for (entry, segment) in left {
            state.outstanding[segment, default: 0] += 1
            state.segmentOf[entry.sequence] = segment
        }
        for number in numbers where state.outstanding[number] == nil {
            try? FileManager.default.removeItem(at: segmentURL(number, in: directory))
        }
        if !left.isEmpty {
            logger.warning("mqtt messages taken but not committed before the last stop are delivered again",
                           ["messages": String(left.count)])
        }
        state.current = try openSegment((numbers.last ?? 0) + 1, in: directory)
        return (left.map(\.entry), state)
    }

    /// Messages and done marks of one segment, and whether it ended on a record boundary.
    static func read(_ data: Data) -> (entries: [Entry], done: [UInt64], intact: Bool) {
        var entries: [Entry] = []
        var done: [UInt64] = []
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else { return ([], [], bytes.isEmpty) }
        var index = magic.count
        func integer(_ width: Int) -> UInt64? {
            guard index + width <= bytes.count else { return nil }
            var value: UInt64 = 0
            for offset in 0..<width { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
            index += width
            return value
        }
        while index < bytes.count {
            let kind = bytes[index]
            index += 1
            switch kind {
            case 0:
                // The unwritten rest of the segment, or a record whose copy a kill interrupted.
                return (entries, done, bytes[index...].allSatisfy { $0 == 0 })
            case UInt8(ascii: "M"):
                guard let sequence = integer(8), let micros = integer(8), let topicLength = integer(4), let payloadLength = integer(4),
                      index + Int(topicLength) + Int(payloadLength) <= bytes.count else { return (entries, done, false) }
                let topic = String(decoding: bytes[index..<index + Int(topicLength)], as: UTF8.self)
                index += Int(topicLength)
                let payload = Data(bytes[index..<index + Int(payloadLength)])
                index += Int(payloadLength)
                guard let count = integer(4) else { return (entries, done, false) }
                var headers: [String: String] = [:]
                for _ in 0..<count {
                    guard let nameLength = integer(4), index + Int(nameLength) <= bytes.count else { return (entries, done, false) }
                    let name = String(decoding: bytes[index..<index + Int(nameLength)], as: UTF8.self)
                    index += Int(nameLength)
                    guard let valueLength = integer(4), index + Int(valueLength) <= bytes.count else { return (entries, done, false) }
                    headers[name] = String(decoding: bytes[index..<index + Int(valueLength)], as: UTF8.self)
                    index += Int(valueLength)
                }
                entries.append(Entry(sequence: sequence, topic: topic, payload: payload, headers: headers,
                                     receivedAt: Timestamp(microsecondsSinceEpoch: Int64(bitPattern: micros))))
            case UInt8(ascii: "D"):
                guard let sequence = integer(8) else { return (entries, done, false) }
                done.append(sequence)
            default:
                return (entries, done, false)
            }
        }
        return (entries, done, true)
    }

    // MARK: - Writing

    /// Writes a message before it is delivered; returns its sequence, to mark it done with.
    public func append(topic: String, payload: Data, headers: [String: String] = [:], receivedAt: Timestamp) -> UInt64 {
        state.withLock { state in
            let sequence = state.nextSequence
            state.nextSequence += 1
            // The record is laid out once at its size: this runs for every message.
            let headerBytes = headers.reduce(0) { $0 + 8 + $1.key.utf8.count + $1.value.utf8.count }
            var record: [UInt8] = []
            record.reserveCapacity(state.doneMarks.count * 9 + 29 + topic.utf8.count + payload.count + headerBytes)
            Self.appendDoneRecords(state.doneMarks, to: &record)
            state.doneMarks.removeAll(keepingCapacity: true)
            record.append(UInt8(ascii: "M"))
            Self.put(sequence, 8, into: &record)
            Self.put(UInt64(bitPattern: receivedAt.microsecondsSinceEpoch), 8, into: &record)
            Self.put(UInt64(topic.utf8.count), 4, into: &record)
            Self.put(UInt64(payload.count), 4, into: &record)
            record.append(contentsOf: topic.utf8)
            record.append(contentsOf: payload)
            Self.put(UInt64(headers.count), 4, into: &record)
            for (name, value) in headers {
                Self.put(UInt64(name.utf8.count), 4, into: &record)
                record.append(contentsOf: name.utf8)
                Self.put(UInt64(value.utf8.count), 4, into: &record)
                record.append(contentsOf: value.utf8)
            }
            write(record, &state)
            if let current = state.current {
                state.outstanding[current.number, default: 0] += 1
                state.segmentOf[sequence] = current.number
            }
            return sequence
        }
    }

    /// The message's outcome is committed: it need not be delivered again.
    public func markDone(_ sequence: UInt64) {
        state.withLock { state in
            guard let segment = state.segmentOf.removeValue(forKey: sequence) else { return }
            state.doneMarks.append(sequence)
            state.outstanding[segment] = (state.outstanding[segment] ?? 1) - 1
            removeIfDone(segment, &state)
            if state.doneMarks.count >= 256 {
                write(Self.doneRecords(state.doneMarks), &state)
                state.doneMarks.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes the buffered done marks (at a graceful stop).
    public func flush() {
        state.withLock { state in
            guard !state.doneMarks.isEmpty else { return }
            write(Self.doneRecords(state.doneMarks), &state)
            state.doneMarks.removeAll()
        }
    }

    /// How many messages are taken and not yet marked done.
    public var outstandingCount: Int { state.withLock { $0.segmentOf.count } }

    private func segmentURL(_ number: UInt64) -> URL { Self.segmentURL(number, in: directory) }

    private static func segmentURL(_ number: UInt64, in directory: URL) -> URL {
        directory.appendingPathComponent(String(format: "%016llu.journal", number))
    }

    /// A new segment file of at least `segmentBytes`, its space reserved, mapped, its header written.
    private static func openSegment(_ number: UInt64, in directory: URL, holding bytes: Int = 0) throws -> Segment {
        let path = segmentURL(number, in: directory).path
        let capacity = max(segmentBytes, magic.count + bytes)
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw MQTTError(.journal, "cannot create the journal segment \(path): \(String(cString: strerror(errno)))")
        }
        let reserved = posix_fallocate(descriptor, 0, off_t(capacity))
        guard reserved == 0 else {
            Foundation.close(descriptor)
            unlink(path)
            throw MQTTError(.journal, "cannot reserve \(capacity) bytes for the journal segment \(path): \(String(cString: strerror(reserved)))")
        }
        let mapping = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            unlink(path)
            throw MQTTError(.journal, "cannot map the journal segment \(path): \(reason)")
        }
        magic.withUnsafeBytes { mapping.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return Segment(number: number, descriptor: descriptor, mapping: mapping, capacity: capacity, bytes: magic.count)
    }

    /// Unmaps and closes a segment, cutting the file to what was written.
    private static func close(_ segment: Segment) {
        munmap(segment.mapping, segment.capacity)
        _ = ftruncate(segment.descriptor, off_t(segment.bytes))
        Foundation.close(segment.descriptor)
    }

    /// Starts a new segment that can hold `bytes` more; the old one goes when its last message is done.
    private func rotate(_ state: inout State, holding bytes: Int) {
        guard let old = state.current else { return }
        Self.close(old)
        state.current = nil
        removeIfDone(old.number, &state)
        do {
            state.current = try Self.openSegment(old.number + 1, in: directory, holding: bytes)
        } catch {
            reportFailure(error, &state)
        }
    }

    /// Deletes `segment` once nothing in it is left to mark done and it is no longer written to.
    private func removeIfDone(_ segment: UInt64, _ state: inout State) {
        guard (state.outstanding[segment] ?? 0) == 0, segment != state.current?.number else { return }
        state.outstanding[segment] = nil
        try? FileManager.default.removeItem(at: segmentURL(segment))
    }

    /// Copies records into the current segment (a new one when they do not fit): everything but the
    /// first byte, then the first byte, so that a record is either whole or starts with a zero.
    private func write(_ bytes: [UInt8], _ state: inout State) {
        guard !bytes.isEmpty else { return }
        if let current = state.current, current.bytes + bytes.count > current.capacity { rotate(&state, holding: bytes.count) }
        guard var current = state.current else { return }
        let start = current.mapping + current.bytes
        bytes.withUnsafeBytes { source in
            (start + 1).copyMemory(from: source.baseAddress! + 1, byteCount: source.count - 1)
            atomicMemoryFence(ordering: .releasing)  // the first byte is not stored before the rest
            start.storeBytes(of: source[0], as: UInt8.self)
        }
        current.bytes += bytes.count
        state.current = current
        state.failed = false
    }

    /// A journal that cannot be written does not stop intake (the broker and the store still hold
    /// the data); it is logged once per failure streak, and the kill window is as without it.
    private func reportFailure(_ error: any Error, _ state: inout State) {
        guard !state.failed else { return }
        state.failed = true
        logger.error("the mqtt journal cannot be written; until it can, a killed hub may lose messages it took", ["error": "\(error)"])
    }

    private static func doneRecords(_ marks: [UInt64]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(marks.count * 9)
        appendDoneRecords(marks, to: &bytes)
        return bytes
    }

    private static func appendDoneRecords(_ marks: [UInt64], to bytes: inout [UInt8]) {
        for mark in marks {
            bytes.append(UInt8(ascii: "D"))
            put(mark, 8, into: &bytes)
        }
    }

    /// The `width` low bytes of `value`, least significant first.
    private static func put(_ value: UInt64, _ width: Int, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0.prefix(width)) }
    }
}
