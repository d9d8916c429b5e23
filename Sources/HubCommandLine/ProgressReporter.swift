import Foundation
import Synchronization

/// Progress of long work on a terminal (`hub bench`, `hub simulate`, `hub validate` over many files):
/// one line on standard error, redrawn at most four times a second, with what is done of the total,
/// the rate and the time left; cleared when the work ends. Silent when standard error is not a
/// terminal, so that logs, pipes and tests get only the result.
public final class ProgressReporter: Sendable {
    private struct State {
        var done = 0
        var lastDrawn: ContinuousClock.Instant?
        var drawnWidth = 0
    }

    private let label: String
    private let total: Int?
    private let unit: String
    private let isEnabled: Bool
    private let write: @Sendable (String) -> Void
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Whether standard error is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// A reporter for work named `label` counting `unit`s (`messages`, `files`) up to `total` when known.
    /// `isEnabled` and `write` are for tests: by default it draws on standard error when that is a terminal.
    public init(label: String, total: Int?, unit: String, isEnabled: Bool = ProgressReporter.standardErrorIsTerminal,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.total = total
        self.unit = unit
        self.isEnabled = isEnabled
        self.write = write
    }

    /// Records that `done` units are done, redrawing the line when the last drawing is 250 ms old.
    public func update(done: Int) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        let text = state.withLock { state -> String? in
            state.done = done
            if let last = state.lastDrawn, now - last < .milliseconds(250) { return nil }
            state.lastDrawn = now
            let line = Self.line(label: label, done: done, total: total, unit: unit, elapsed: Self.seconds(now - started))
            defer { state.drawnWidth = line.count }
            return "\r" + line + String(repeating: " ", count: max(0, state.drawnWidth - line.count))
        }
        if let text { write(text) }
    }

    /// Clears the line: the work is over, its result is printed next.
    public func finish() {
        guard isEnabled else { return }
        let width = state.withLock { state in
            defer { state.drawnWidth = 0 }
            return state.drawnWidth
        }
        if width > 0 { write("\r" + String(repeating: " ", count: width) + "\r") }
    }

    /// The progress line: `simulate  1,200/6,000 messages (20%)  400/s  0:12 left`; without a total,
    /// `bench  1,200 events  400/s`.
    public static func line(label: String, done: Int, total: Int?, unit: String, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var parts = [label]
        if let total, total > 0 {
            parts.append("\(grouped(done))/\(grouped(total)) \(unit) (\(min(100, done * 100 / total))%)")
        } else {
            parts.append("\(grouped(done)) \(unit)")
        }
        parts.append("\(grouped(Int(rate.rounded())))/s")
        if let total, total > done, rate > 0 {
            parts.append("\(duration(Double(total - done) / rate)) left")
        }
        return parts.joined(separator: "  ")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }
}
