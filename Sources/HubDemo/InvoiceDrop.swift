import Foundation
import HubCore
import Synchronization

/// Suppliers sending invoices to the demo territory: copies the demo's sample invoices
/// (`demo/invoices/<format>/`) into the drop folder of the same name, one after another, spread over
/// `duration`, as `<name>.part` renamed once complete (the folder door ignores partial names).
public final class InvoiceDrop: Sendable {
    private let files: [(source: URL, target: URL)]
    private let interval: Double
    private let stopped = Mutex(false)
    private let started = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Drops each file of `samples/<format>/` into `folders[format]`, spread over `duration` seconds.
    /// - Throws: `DemoAssetError` when a format's samples cannot be listed.
    public init(samples: URL, folders: [String: URL], duration: Double) throws {
        var files: [(URL, URL)] = []
        for (format, folder) in folders.sorted(by: { $0.key < $1.key }) {
            let listing: [String]
            do {
                listing = try FileManager.default.contentsOfDirectory(atPath: samples.appendingPathComponent(format).path)
            } catch {
                throw DemoAssetError("cannot list the sample invoices \(samples.path)/\(format): \(error.localizedDescription)")
            }
            for name in listing.sorted() where !name.hasPrefix(".") {
                files.append((samples.appendingPathComponent(format).appendingPathComponent(name), folder.appendingPathComponent(name)))
            }
        }
        // Interleave formats, so that each kind shows early.
        self.files = files.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(\.element)
        interval = files.isEmpty ? 0 : duration / Double(files.count)
    }

    /// How many invoices it drops.
    public var count: Int { files.count }

    /// Starts dropping on a thread of its own; `onError` hears of a file that could not be dropped.
    public func start(onError: @escaping @Sendable (String) -> Void) {
        started.withLock { $0 = true }
        let thread = Thread { [self] in
            defer { finished.signal() }
            for (index, file) in files.enumerated() {
                if index > 0 {
                    let due = Date().addingTimeInterval(interval)
                    while Date() < due {
                        if stopped.withLock({ $0 }) { return }
                        Thread.sleep(forTimeInterval: min(0.2, max(0, due.timeIntervalSinceNow)))
                    }
                }
                if stopped.withLock({ $0 }) { return }
                do {
                    try FileManager.default.createDirectory(at: file.target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let partial = file.target.appendingPathExtension("part")
                    try? FileManager.default.removeItem(at: partial)
                    try FileManager.default.copyItem(at: file.source, to: partial)
                    try? FileManager.default.removeItem(at: file.target)
                    try FileManager.default.moveItem(at: partial, to: file.target)
                } catch {
                    onError("could not drop \(file.source.lastPathComponent) into \(file.target.deletingLastPathComponent().path): \(error.localizedDescription)")
                }
            }
        }
        thread.name = "demo-invoices"
        thread.start()
    }

    /// Stops dropping and waits for the thread to end.
    public func stop() {
        stopped.withLock { $0 = true }
        if started.withLock({ $0 }) { finished.wait() }
    }
}
