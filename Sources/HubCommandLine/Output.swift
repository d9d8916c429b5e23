import Foundation

/// Writes to standard output and standard error through FileHandle (Glibc's stdout/stderr
/// globals are not concurrency-safe).
public enum Output {
    /// Writes `text` and a newline to standard output.
    public static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` and a newline to standard error.
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
