import Foundation
import HubCore
import Synchronization

/// How much a log line matters.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    /// Parses a level name as `--log-level` takes it (`info`, `warning`, ...).
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = level
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }
}

/// Where log lines go: one requirement, so tests and embedders can capture them.
public protocol LogSink: Sendable {
    /// Writes one line: its level, the component's label, the message and key-value metadata.
    func write(level: LogLevel, label: String, message: String, metadata: [String: String])
}

/// Writes one line per record to standard error: `2026-11-22T03:24:21.123456Z info [hub.mqtt] connected host=...`.
public struct StandardErrorLogSink: LogSink {
    /// Creates the sink.
    public init() {}

    /// Writes the line to standard error.
    public func write(level: LogLevel, label: String, message: String, metadata: [String: String]) {
        var line = "\(Timestamp.now().iso8601) \(level) [\(label)] \(message)"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// The process-wide choice of sink and level, made once at start-up (`LoggingSystem.bootstrap`).
public enum LoggingSystem {
    private static let current = Mutex<(sink: any LogSink, level: LogLevel)>((StandardErrorLogSink(), .info))

    /// Sets where log lines go and the lowest level written, for loggers made afterwards.
    public static func bootstrap(sink: any LogSink = StandardErrorLogSink(), level: LogLevel) {
        current.withLock { $0 = (sink, level) }
    }

    static var configuration: (sink: any LogSink, level: LogLevel) { current.withLock { $0 } }
}

/// A component's logger: a label, a level and a sink. Libraries accept one rather than make their own.
public struct Logger: Sendable {
    /// The component it speaks for, e.g. `hub.mqtt`.
    public var label: String
    /// The lowest level written.
    public var level: LogLevel
    private let sink: any LogSink

    /// A logger with the bootstrapped sink and level.
    public init(label: String) {
        let configuration = LoggingSystem.configuration
        self.init(label: label, level: configuration.level, sink: configuration.sink)
    }

    /// A logger with an explicit sink and level.
    public init(label: String, level: LogLevel, sink: any LogSink) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// The same sink and level under another label, for a part of the component (`hub.store`).
    public func withLabel(_ label: String) -> Logger {
        Logger(label: label, level: level, sink: sink)
    }

    /// Writes a line at `level` if it is at or above this logger's level.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) {
        guard level >= self.level else { return }
        sink.write(level: level, label: label, message: message(), metadata: metadata)
    }

    /// Something only a developer chasing a problem needs.
    public func debug(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.debug, message(), metadata) }
    /// Something an operator wants to know happened.
    public func info(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.info, message(), metadata) }
    /// Something went wrong that the hub works around.
    public func warning(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.warning, message(), metadata) }
    /// Something went wrong that loses or delays work.
    public func error(_ message: @autoclosure () -> String, _ metadata: [String: String] = [:]) { log(.error, message(), metadata) }
}
