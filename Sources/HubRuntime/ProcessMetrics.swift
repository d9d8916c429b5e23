import Foundation
import HubServices

/// The standard `process_*` metrics of Prometheus's client libraries, read from Linux's `/proc`:
/// CPU time, resident and virtual memory, open and allowed file descriptors, start time. Elsewhere
/// than Linux (no `/proc/self/stat`) it reports nothing.
public struct ProcessMetrics: MetricFamilyProvider {
    /// Where the process's files are (`/proc/self`; tests may point elsewhere).
    var directory = "/proc/self"
    /// Where the system-wide `stat` file is, for the boot time.
    var systemStat = "/proc/stat"

    /// The process metrics of this process.
    public init() {}

    /// The `process_*` families, read now.
    public func metricFamilies() -> [MetricFamily] {
        guard let stat = Self.read("\(directory)/stat"), let fields = Self.fields(ofStat: stat) else { return [] }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        func field(_ number: Int) -> Double? { Self.field(number, of: fields) }
        func family(_ name: String, _ help: String, _ type: String, _ value: Double?) -> MetricFamily? {
            value.map { MetricFamily(name: name, help: help, type: type, samples: [MetricFamily.Sample(value: $0)]) }
        }
        let bootTime = Self.read(systemStat).flatMap(Self.bootTime(inSystemStat:))
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/fd")).map { Double($0.count) }
        let maxFiles = Self.read("\(directory)/limits").flatMap(Self.openFilesLimit(inLimits:))
        return [
            family("process_cpu_seconds_total", "User and system CPU time the process spent, in seconds.", "counter",
                   Self.cpuSeconds(in: fields)),
            family("process_resident_memory_bytes", "Resident memory size, in bytes.", "gauge", field(24).map { $0 * pageSize }),
            family("process_virtual_memory_bytes", "Virtual memory size, in bytes.", "gauge", field(23)),
            family("process_open_fds", "Open file descriptors.", "gauge", openFiles),
            family("process_max_fds", "The most file descriptors the process may open.", "gauge", maxFiles),
            family("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", "gauge",
                   bootTime.flatMap { boot in field(22).map { boot + $0 / ticks } }),
        ].compactMap { $0 }
    }

    private static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).flatMap { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The fields of `/proc/<pid>/stat` from the third (state) on: the second (the command name, in
    /// parentheses) may hold spaces and parentheses itself, so the split starts after its last `)`.
    static func fields(ofStat text: String) -> [Substring]? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    /// Field `number` of `/proc/<pid>/stat` as proc(5) numbers them (1 is the pid), from `fields(ofStat:)`.
    static func field(_ number: Int, of fields: [Substring]) -> Double? {
        let index = number - 3
        guard fields.indices.contains(index) else { return nil }
        return Double(fields[index].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The user and system CPU seconds a `/proc/<pid>/stat` text records (fields 14 and 15, in clock ticks).
    public static func cpuSeconds(inStat text: String) -> Double? {
        fields(ofStat: text).flatMap(cpuSeconds(in:))
    }

    private static func cpuSeconds(in fields: [Substring]) -> Double? {
        field(14, of: fields).flatMap { user in field(15, of: fields).map { (user + $0) / Double(sysconf(Int32(_SC_CLK_TCK))) } }
    }

    /// `btime` of `/proc/stat`: the boot time, in seconds since the Unix epoch.
    static func bootTime(inSystemStat text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    /// The soft limit of `Max open files` in `/proc/<pid>/limits`.
    static func openFilesLimit(inLimits text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Double($0) }
    }
}
