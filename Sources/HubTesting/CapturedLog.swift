import HubCore
import HubServices
import Synchronization

/// A log sink that keeps every line in memory, so a test can check what a component logged.
public final class CapturedLog: LogSink, Sendable {
    private let lines = Mutex<[String]>([])
    private let echo: (any LogSink)?

    /// Creates an empty capture; with `echo` set, lines also go to that sink (e.g. standard error).
    public init(echo: (any LogSink)? = nil) {
        self.echo = echo
    }

    /// A logger that writes here, at `level` and above.
    public func logger(label: String, level: LogLevel = .debug) -> Logger {
        Logger(label: label, level: level, sink: self)
    }

    /// Keeps the line (and echoes it when asked to).
    public func write(level: LogLevel, label: String, message: String, metadata: [String: String]) {
        var line = "\(level) [\(label)] \(message)"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        lines.withLock { $0.append(line) }
        echo?.write(level: level, label: label, message: message, metadata: metadata)
    }

    /// Every line so far, oldest first: `warning [hub.mqtt] connection lost broker=... reason=...`.
    public var text: [String] { lines.withLock { $0 } }

    /// The lines that contain `fragment`.
    public func lines(containing fragment: String) -> [String] {
        text.filter { $0.contains(fragment) }
    }
}
