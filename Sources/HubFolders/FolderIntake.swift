import Foundation
import HubCore
import HubServices
import Synchronization

/// The drop-folder door: watches each folder route's folder and hands every complete file to its
/// route; the file is moved to `done/` (decoded and committed) or `failed/` (kept as a dead letter,
/// with a `.reason.txt` beside it) only after its outcome is committed.
///
/// Nothing is lost when the hub stops half-way: a file still in the folder is simply taken again
/// at the next start. Events are idempotent by id and documents by SHA-256, so taking a file twice
/// stores it once (a file that is a dead letter is kept as a dead letter each time).
public final class FolderIntake: Door {
    private let watches: [FolderWatch]
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let gate: (any SingletonGate)?
    private let logger: Logger

    /// A watch for each route whose source is a folder; nothing is scanned until `start()`. With a
    /// `gate`, a folder is scanned only while this hub holds its lease (`SingletonTask.folder`), so
    /// that hubs sharing a folder (a network share) do not take the same file at once.
    public init(routes: [Route], inbox: any Inbox, gate: (any SingletonGate)? = nil, logger: Logger) {
        self.logger = logger
        self.gate = gate
        watches = routes.compactMap { route in
            guard case .folder(let source) = route.source else { return nil }
            return FolderWatch(source: source, route: route.name, inbox: inbox, logger: logger)
        }
    }

    /// Creates the folders when missing and starts the scanning thread.
    public func start() {
        guard !watches.isEmpty else { return }
        for watch in watches { watch.prepare() }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("folder intake")
            let interval = watches.map(\.source.scanInterval).min() ?? .seconds(2)
            while !stopping.load(ordering: .acquiring) {
                for watch in watches where !stopping.load(ordering: .acquiring) {
                    if gate?.holds(.folder(watch.route)) ?? true { watch.scan() }
                }
                _ = wake.wait(timeout: .now() + interval.timeInterval)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops scanning and returns once the thread has ended. Files already delivered are moved
    /// when their outcomes are committed, which the hub's stop waits for.
    public func stop() {
        guard !watches.isEmpty, !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        finished.wait()
    }
}

/// One watched folder: its scanner, the files delivered and not yet committed, and the moves.
final class FolderWatch: Sendable {
    let source: FolderSource
    let route: String
    private let inbox: any Inbox
    private let logger: Logger
    private let folder: URL
    /// The scanner and the names delivered to the route whose outcome is not committed yet. Touched by
    /// the scanning thread and by the writer's commit callbacks, hence the lock.
    private let state = Mutex<(scanner: FolderScanner, busy: Set<String>)>((FolderScanner(), []))

    init(source: FolderSource, route: String, inbox: any Inbox, logger: Logger) {
        self.source = source
        self.route = route
        self.inbox = inbox
        self.logger = logger
        folder = URL(fileURLWithPath: source.path, isDirectory: true)
    }

    private var done: URL { folder.appendingPathComponent("done", isDirectory: true) }
    private var failed: URL { folder.appendingPathComponent("failed", isDirectory: true) }

    /// Creates the folder and its `done/` and `failed/` sub-folders when missing.
    func prepare() {
        for url in [folder, done, failed] {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                logger.error("cannot create a watched folder", ["path": url.path, "error": "\(error)"])
            }
        }
    }

    /// Lists the folder and delivers the files that have settled.
    func scan() {
        // While the store cannot commit, files stay in the folder until it can.
        guard inbox.intakeGate.isOpen else { return }
        let listing = listing()  // outside the lock: commit callbacks need it too
        let ready = state.withLock { state in state.scanner.ready(in: listing, busy: state.busy) }
        for name in ready { deliver(name) }
    }

    private func listing() -> [String: FolderScanner.Stamp] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var listing: [String: FolderScanner.Stamp] = [:]
        for name in names {
            let path = folder.appendingPathComponent(name).path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date else { continue }
            listing[name] = FolderScanner.Stamp(size: size, modified: modified)
        }
        return listing
    }

    private func deliver(_ name: String) {
        let url = folder.appendingPathComponent(name)
        state.withLock { _ = $0.busy.insert(name) }
        let receivedAt = Timestamp.now()
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        if size > source.maxBytes {
            // Refused unread: a dead letter that names the file, with no payload.
            let envelope = Envelope(route: route, source: .file, origin: name, payload: Data(), receivedAt: receivedAt)
            let reason = "the file \(name) is \(size) bytes, larger than the folder's maxBytes (\(source.maxBytes)); it was not read"
            deliver(Delivery(refusing: envelope, reason: reason) { [self] disposition in finish(name, disposition) }, name: name)
            return
        }
        let payload: Data
        do {
            payload = try Data(contentsOf: url)
        } catch {
            // Gone or unreadable since the listing: look again at the next scan.
            release(name)
            return
        }
        let envelope = Envelope(route: route, source: .file, origin: name, payload: payload, receivedAt: receivedAt)
        deliver(Delivery(envelope) { [self] disposition in finish(name, disposition) }, name: name)
    }

    private func deliver(_ delivery: Delivery, name: String) {
        if inbox.deliver(delivery, waitForRoom: true) != .accepted {
            release(name)  // the hub is stopping: the file stays for the next start
        }
    }

    /// Moves a committed file aside, or leaves it for another try when its commit failed.
    private func finish(_ name: String, _ disposition: Disposition) {
        let source = folder.appendingPathComponent(name)
        switch disposition {
        case .stored:
            move(source, into: done)
        case .deadLettered(let reason):
            if let moved = move(source, into: failed) {
                try? Data((reason + "\n").utf8).write(to: moved.appendingPathExtension("reason.txt"))
            }
        case .failed(let reason):
            logger.error("a dropped file could not be committed; it stays in the folder and will be retried",
                         ["file": source.path, "error": reason])
        }
        release(name)
    }

    @discardableResult
    private func move(_ file: URL, into destination: URL) -> URL? {
        var target = destination.appendingPathComponent(file.lastPathComponent)
        if FileManager.default.fileExists(atPath: target.path) {
            let stamp = Timestamp.now().iso8601.filter { $0.isNumber }
            target = destination.appendingPathComponent("\(stamp)-\(file.lastPathComponent)")
        }
        do {
            try FileManager.default.moveItem(at: file, to: target)
            return target
        } catch {
            logger.error("cannot move a committed file aside; it will be taken again", [
                "file": file.path, "to": target.path, "error": "\(error)"])
            return nil
        }
    }

    private func release(_ name: String) {
        state.withLock { state in
            state.busy.remove(name)
            state.scanner.forget(name)
        }
    }
}
