import Foundation
import HubCore
import HubServices
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the hub could not commit before it stopped, kept in a file beside the database and
/// written to the store at the next start.
///
/// When the store still fails after `store.stopTimeoutSeconds` of a stop, the batch writer appends
/// every record it holds to one spill file, `<database>.spill-<microseconds since 1970>.jsonl`, and
/// flushes it to disk. At the next start the store writes every spill file it finds in one
/// transaction each (`SQLiteStore.replaySpills()`) and deletes a file only after its commit, so a
/// crash in between replays it again: events and documents are deduplicated by id and SHA-256;
/// a dead letter would be stored twice.
///
/// Format, version 1: UTF-8 JSON lines. The first line is
/// `{"format":"territory-hub spill","version":1}`; each other line is one record, with `kind`
/// `event` (the columns of the events table: `id`, `type`, `entity`, `observedAt` and `receivedAt`
/// in microseconds since 1970, `route`, optional `latitude` and `longitude`, `attributes` as the
/// stored JSON text), `deadLetter` (`route`, `source`, `origin`, `payload` in base64, `reason`,
/// `receivedAt`) or `document` (`sha256`, `mediaType`, `bytes` in base64, `route`, `receivedAt`).
/// A torn last line (a crash while spilling) is skipped with a warning.
public struct SpillFile: Sendable {
    /// The file's path.
    public let path: String

    /// The first line of every spill file.
    static let header = SpillHeader(format: "territory-hub spill", version: 1)

    /// A new spill file's name beside the database at `databasePath` (nothing is written yet).
    public init(besideDatabase databasePath: String) {
        path = "\(databasePath).spill-\(Timestamp.now().microsecondsSinceEpoch).jsonl"
    }

    init(path: String) {
        self.path = path
    }

    /// The spill files waiting beside the database at `databasePath`, oldest first.
    public static func pending(besideDatabase databasePath: String) -> [SpillFile] {
        let url = URL(fileURLWithPath: databasePath)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".spill-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted()
            .map { SpillFile(path: URL(fileURLWithPath: folder).appendingPathComponent($0).path) }
    }

    /// Appends the records (creating the file with its header first) and flushes them to disk.
    ///
    /// - Throws: when the file cannot be created or written (a full disk): the caller logs what is lost.
    public func append(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = Data()
        let isNew = !FileManager.default.fileExists(atPath: path)
        if isNew {
            text.append(try encoder.encode(Self.header))
            text.append(0x0A)
        }
        for record in events.map(SpillRecord.init(event:)) + deadLetters.map(SpillRecord.init(deadLetter:))
            + documents.map(SpillRecord.init(document:)) {
            text.append(try encoder.encode(record))
            text.append(0x0A)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpillError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try text.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SpillError("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw SpillError("cannot flush \(path): \(String(cString: strerror(errno)))") }
        if isNew { Self.syncFolder(of: path) }
    }

    /// Reads the records back.
    ///
    /// - Returns: the records, and how many lines could not be read (a torn last line).
    /// - Throws: `SpillError` when the file cannot be read or is not a version-1 spill file.
    func read() throws -> (events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument], unreadable: Int) {
        guard let data = FileManager.default.contents(atPath: path) else { throw SpillError("cannot read \(path)") }
        let decoder = JSONDecoder()
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)[...]
        guard let first = lines.popFirst(), let header = try? decoder.decode(SpillHeader.self, from: Data(first)),
              header == Self.header else {
            throw SpillError("\(path) is not a version-\(Self.header.version) spill file")
        }
        var events: [Event] = []
        var deadLetters: [DeadLetter] = []
        var documents: [ArchivedDocument] = []
        var unreadable = 0
        for line in lines {
            guard let record = try? decoder.decode(SpillRecord.self, from: Data(line)) else {
                unreadable += 1
                continue
            }
            if let event = record.event {
                events.append(event)
            } else if let deadLetter = record.deadLetter {
                deadLetters.append(deadLetter)
            } else if let document = record.document {
                documents.append(document)
            } else {
                unreadable += 1
            }
        }
        return (events, deadLetters, documents, unreadable)
    }

    /// Deletes the file.
    func remove() throws {
        try FileManager.default.removeItem(atPath: path)
    }

    /// Flushes the folder holding `path`, so that a new file's name survives a power loss.
    private static func syncFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// A spill file that cannot be written or read.
public struct SpillError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The first line of a spill file.
struct SpillHeader: Codable, Hashable {
    var format: String
    var version: Int
}

/// One line of a spill file: an event, a dead letter or a document, as the store's columns hold it.
struct SpillRecord: Codable {
    var kind: String
    var id: String?
    var type: String?
    var entity: String?
    var observedAt: Int64?
    var receivedAt: Int64
    var route: String
    var latitude: Double?
    var longitude: Double?
    var attributes: String?
    var source: String?
    var origin: String?
    var payload: Data?
    var reason: String?
    var sha256: String?
    var mediaType: String?
    var bytes: Data?

    init(event: Event) {
        kind = "event"
        id = event.id.rawValue
        type = event.type
        entity = event.entity
        observedAt = event.observedAt.microsecondsSinceEpoch
        receivedAt = event.receivedAt.microsecondsSinceEpoch
        route = event.route
        latitude = event.location?.latitude
        longitude = event.location?.longitude
        attributes = event.attributesJSON
    }

    init(deadLetter: DeadLetter) {
        kind = "deadLetter"
        route = deadLetter.route
        source = deadLetter.source.rawValue
        origin = deadLetter.origin
        payload = deadLetter.payload
        reason = deadLetter.reason
        receivedAt = deadLetter.receivedAt.microsecondsSinceEpoch
    }

    init(document: ArchivedDocument) {
        kind = "document"
        sha256 = document.sha256
        mediaType = document.mediaType
        bytes = document.bytes
        route = document.route
        receivedAt = document.receivedAt.microsecondsSinceEpoch
    }

    /// The event, when this line holds one that reads back.
    var event: Event? {
        guard kind == "event", let id, let type, let entity, let observedAt, let attributes,
              let members = (try? JSONValue(parsing: attributes))?.objectValue else { return nil }
        var location: GeoPoint?
        if let latitude, let longitude { location = GeoPoint(latitude: latitude, longitude: longitude) }
        return Event(id: EventID(rawValue: id), type: type, entity: entity,
                     observedAt: Timestamp(microsecondsSinceEpoch: observedAt),
                     receivedAt: Timestamp(microsecondsSinceEpoch: receivedAt), route: route, location: location,
                     attributes: members.mapValues { Value(storedForm: $0) ?? .json($0) })
    }

    /// The dead letter, when this line holds one.
    var deadLetter: DeadLetter? {
        guard kind == "deadLetter", let sourceName = source, let source = Envelope.Source(rawValue: sourceName),
              let origin, let payload, let reason else { return nil }
        return DeadLetter(envelope: Envelope(route: route, source: source, origin: origin, payload: payload,
                                             receivedAt: Timestamp(microsecondsSinceEpoch: receivedAt)), reason: reason)
    }

    /// The document, when this line holds one.
    var document: ArchivedDocument? {
        guard kind == "document", let sha256, let mediaType, let bytes else { return nil }
        return ArchivedDocument(sha256: sha256, mediaType: mediaType, bytes: bytes, route: route,
                                receivedAt: Timestamp(microsecondsSinceEpoch: receivedAt))
    }
}

extension SQLiteStore {
    /// Writes every spill file waiting beside the database (`Store.replaySpills(besideDatabase:logger:)`).
    @discardableResult
    public func replaySpills() -> Int {
        replaySpills(besideDatabase: path, logger: logger)
    }
}

extension Store {
    /// Writes every spill file waiting beside `path` (the SQLite file, or a hub's local files for
    /// another backend), one transaction each, and deletes each one after its commit. A file that
    /// cannot be read or written stays for the next start.
    ///
    /// - Returns: how many records were committed.
    @discardableResult
    public func replaySpills(besideDatabase path: String, logger: Logger) -> Int {
        var committed = 0
        for spill in SpillFile.pending(besideDatabase: path) {
            do {
                let records = try spill.read()
                if records.unreadable > 0 {
                    logger.warning("a spill file has lines that cannot be read (a torn last line?); they are skipped",
                                   ["file": spill.path, "lines": String(records.unreadable)])
                }
                try write(events: records.events, deadLetters: records.deadLetters, documents: records.documents)
                try spill.remove()
                let count = records.events.count + records.deadLetters.count + records.documents.count
                committed += count
                logger.info("spilled records committed", ["file": spill.path, "records": String(count)])
            } catch {
                logger.error("a spill file could not be committed; it stays for the next start",
                             ["file": spill.path, "error": "\(error)"])
            }
        }
        return committed
    }
}
