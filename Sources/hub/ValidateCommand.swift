import Dispatch
import EInvoicingPlugin
import Foundation
import HubCommandLine
import Synchronization

/// `hub validate FILE...`: judges each e-invoice (UBL, CII, a Factur-X / ZUGFeRD PDF) against the
/// reference it declares and prints a report a supplier can act on: every rule broken, with the
/// offending value and where it is. Exit status 0 when every file conforms, 1 when one does not,
/// 2 on a usage error or a file that cannot be read. Nothing is stored.
enum ValidateCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["format"])
        let format = arguments.option("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("--format \"\(format)\": expected text or json") }
        let files = arguments.positionals
        guard !files.isEmpty else { throw UsageError("validate needs one FILE or more (- for standard input)") }

        let validator = InvoiceValidator()
        let progress = ProgressReporter(label: "validate", total: files.count, unit: "files")
        let results = Mutex<(reports: [ValidationReport?], unread: Int, done: Int)>(
            (reports: Array(repeating: nil, count: files.count), unread: 0, done: 0))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let report: ValidationReport
            var unread = 0
            do {
                report = validator.validate(try read(files[index], limit: validator.maxBytes), named: files[index])
            } catch {
                report = ValidationReport(document: files[index], unreadable: "the file cannot be read: \(error)")
                unread = 1
            }
            let done = results.withLock { results in
                results.reports[index] = report
                results.unread += unread
                results.done += 1
                return results.done
            }
            progress.update(done: done)
        }
        progress.finish()
        let (reports, unread) = results.withLock { ($0.reports.compactMap { $0 }, $0.unread) }

        if format == "json" {
            for report in reports { Output.line(String(decoding: report.jsonData, as: UTF8.self)) }
        } else {
            for report in reports { Output.line(text(of: report)) }
            let failing = reports.count { !$0.conformant }
            Output.line(failing == 0 ? "\(reports.count) file(s), all conformant"
                : "\(reports.count) file(s): \(reports.count - failing) conformant, \(failing) not")
        }
        if unread > 0 { return 2 }
        return reports.allSatisfy(\.conformant) ? 0 : 1
    }

    /// The bytes of `path` (`-`: standard input), at most `limit` + 1 of them: one more than the
    /// validator reads says the file is too large without reading all of it (`/dev/zero` ends).
    private static func read(_ path: String, limit: Int) throws -> Data {
        var isFolder: ObjCBool = false
        guard path == "-" || FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw UnreadableFile("there is no such file")
        }
        guard !isFolder.boolValue else { throw UnreadableFile("it is a folder; give the files in it") }
        let handle = path == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { if path != "-" { try? handle.close() } }
        return try handle.read(upToCount: limit + 1) ?? Data()
    }

    /// A report as a supplier reads it: the verdict, what the document is, then one row per broken rule.
    static func text(of report: ValidationReport) -> String {
        if let reason = report.unreadable {
            return "\(report.document): NOT CHECKED: \(reason)\n"
        }
        let verdict = report.conformant ? "conformant" : "NOT CONFORMANT"
        let counts = report.failures.isEmpty ? ""
            : ", \(report.fatalCount) fatal, \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")"
        let syntax = report.syntax ?? "?"
        let kind = report.format == "Factur-X" ? "Factur-X PDF (\(report.embeddedFile ?? "?"), \(syntax))" : syntax
        let invoice = report.number.map { "invoice \($0)" } ?? "invoice without a number"
        var lines = ["\(report.document): \(verdict)\(counts)",
                     "  \(kind) \(invoice), profile \(report.profile ?? "?"), judged against \(report.reference ?? "?")"]
        if !report.failures.isEmpty {
            var rows = [["RULE", "FLAG", "VALUE", "WHERE", "MESSAGE"]]
            for failure in report.failures {
                rows.append([failure.rule, failure.flag.rawValue, failure.value.map(shortened) ?? "-",
                             failure.location ?? "-", failure.message])
            }
            lines += TextTable.render(rows).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value cut to 40 characters, quoted, so that the table stays readable; JSON has it whole.
    private static func shortened(_ value: String) -> String {
        let oneLine = value.replacingOccurrences(of: "\n", with: " ")
        return "\"" + (oneLine.count > 40 ? oneLine.prefix(39) + "…" : oneLine) + "\""
    }
}

/// Why a file named on the command line cannot be read.
private struct UnreadableFile: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
