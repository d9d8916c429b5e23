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
        var byFormat: [[(URL, URL)]] = []
        for (format, folder) in folders.sorted(by: { $0.key < $1.key }) {
            let listing: [String]
            do {
                listing = try FileManager.default.contentsOfDirectory(atPath: samples.appendingPathComponent(format).path)
            } catch {
                throw DemoAssetError("cannot list the sample invoices \(samples.path)/\(format): \(error.localizedDescription)")
            }
            byFormat.append(listing.sorted().filter { !$0.hasPrefix(".") }.map {
                (samples.appendingPathComponent(format).appendingPathComponent($0), folder.appendingPathComponent($0))
            })
        }
        // The formats in turn (the first file of each, then the second...), so that each kind shows early.
        var files: [(source: URL, target: URL)] = []
        for rank in 0..<(byFormat.map(\.count).max() ?? 0) {
            for format in byFormat where rank < format.count { files.append(format[rank]) }
        }
        self.files = files
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
