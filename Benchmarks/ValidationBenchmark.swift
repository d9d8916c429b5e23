import EInvoicingPlugin
import Foundation
import HubCommandLine

/// Benchmark 8: EN 16931 validation of the same invoices by the hub (`InvoiceValidator`: XML read,
/// every rule of the reference) and by the official CEN/TC 434 artefacts, the Schematron compiled to
/// XSLT run by Saxon-HE (`saxonche` from PyPI, in the interpreter `--python` names): the time per
/// invoice of each, and whether their verdicts (the set of rules broken) agree file by file.
enum ValidationBenchmark {
    struct Result {
        /// The invoices judged: UBL and CII files.
        var files: Int
        /// The hub's best time per invoice over the rounds, in seconds.
        var hubSeconds: Double
        /// Saxon's best time per invoice (parse, transform, SVRL text), in seconds; nil when not run.
        var xsltSeconds: Double?
        /// Saxon's time to compile both stylesheets once (not in the time per invoice).
        var compileSeconds: Double?
        /// The files on which both name the same rules broken.
        var agreeing: Int
        /// The first files on which they differ, each with what only one side names.
        var disagreements: [String]
        /// Why there is no baseline, or the processor that ran it.
        var note: String
    }

    /// The invoices of row 5 (the CEN/TC 434 UBL and CII examples, the Factur-X XML samples) under
    /// `fixtures`, judged in three alternating rounds of about `validations` invoices a side.
    static func run(validations: Int, fixtures: URL, python: String?) throws -> Result {
        let ubl = try files(in: fixtures.appendingPathComponent("ubl"))
        let cii = try files(in: fixtures.appendingPathComponent("cii"))
            + files(in: fixtures.appendingPathComponent("facturx-xml")).filter { $0.lastPathComponent.hasPrefix("factur-x") }
        guard !ubl.isEmpty, !cii.isEmpty else { throw BenchError("no UBL or CII fixtures under \(fixtures.path)") }
        let documents = ubl.map { ("ubl", $0) } + cii.map { ("cii", $0) }
        let payloads = try documents.map { try Data(contentsOf: $0.1) }
        let xslt = fixtures.appendingPathComponent("en16931-xslt")
        let validator = InvoiceValidator()
        let hubVerdicts = zip(documents, payloads).map { document, payload in
            Set(validator.validate(payload, named: document.1.lastPathComponent).failures.map(\.rule))
        }

        var result = Result(files: documents.count, hubSeconds: .infinity, agreeing: 0, disagreements: [], note: "")
        // Alternating rounds, the best of each side kept: on a shared machine the other tenants' load
        // changes from second to second, and alternating exposes both sides to it.
        for _ in 0..<3 {
            result.hubSeconds = min(result.hubSeconds, try hubTime(validator, payloads: payloads, invoices: max(validations, 2000)))
            guard let python else {
                result.note = "not run: no --python (scripts/bench installs saxonche)"
                continue
            }
            let baseline = try xsltTime(python: python, stylesheets: xslt, documents: documents, invoices: validations)
            result.xsltSeconds = min(result.xsltSeconds ?? .infinity, baseline.perInvoice)
            result.compileSeconds = min(result.compileSeconds ?? .infinity, baseline.compileSeconds)
            result.note = baseline.processor
            result.agreeing = 0
            result.disagreements = []
            for (index, official) in baseline.verdicts.enumerated() where index < hubVerdicts.count {
                if official == hubVerdicts[index] {
                    result.agreeing += 1
                } else {
                    let onlyOfficial = official.subtracting(hubVerdicts[index]).sorted(), onlyHub = hubVerdicts[index].subtracting(official).sorted()
                    result.disagreements.append("\(documents[index].1.lastPathComponent): official only \(onlyOfficial), hub only \(onlyHub)")
                }
            }
        }
        return result
    }

    /// The row of `hub bench`'s table.
    static func row(_ result: Result) -> [String] {
        let hub = String(format: "%.0f µs/invoice (%.0f/s)", result.hubSeconds * 1e6, 1 / result.hubSeconds)
        guard let xslt = result.xsltSeconds else {
            return ["8. EN 16931 validation, UBL + CII (\(result.files) files)", hub, result.note, "-"]
        }
        let compiling = String(format: "%.1f", result.compileSeconds ?? 0)
        return ["8. EN 16931 validation, UBL + CII (\(result.files) files)", hub,
                String(format: "%.1f ms/invoice", xslt * 1e3) + ", official XSLT (\(result.note); compiling both: \(compiling) s); "
                    + "verdicts agree on \(result.agreeing) of \(result.files) files",
                String(format: "%.1f", xslt / result.hubSeconds)]
    }

    /// `hub bench validation`: this row alone, with the files whose verdicts differ.
    static func command(_ arguments: Arguments, python: String?) throws -> Int32 {
        let validations = Int(arguments.option("validations") ?? "150") ?? 150
        let fixtures = URL(fileURLWithPath: arguments.option("invoice-fixtures") ?? "Tests/EInvoicingPluginTests/Fixtures")
        Output.error("EN 16931 validation: hub and official XSLT, 3 rounds of about \(validations) invoices ...")
        let result = try run(validations: validations, fixtures: fixtures, python: python)
        Output.line(TextTable.render([["measure", "hub", "baseline", "ratio"], row(result)]))
        for line in result.disagreements { Output.line("  verdicts differ: \(line)") }
        return 0
    }

    private static func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "xml" }.sorted { $0.path < $1.path }
    }

    /// Seconds per invoice for the hub over `invoices` validations of `payloads` in turn.
    private static func hubTime(_ validator: InvoiceValidator, payloads: [Data], invoices: Int) throws -> Double {
        let rounds = max(1, invoices / payloads.count)
        var judged = 0
        let start = DispatchTime.now()
        for _ in 0..<rounds {
            for payload in payloads where validator.validate(payload, named: "bench").reference != nil { judged += 1 }
        }
        let seconds = DecodeBenchmark.seconds(since: start)
        guard judged == rounds * payloads.count else { throw BenchError("the hub judged \(judged) of \(rounds * payloads.count) invoices") }
        return seconds / Double(judged)
    }

    /// Compiles both stylesheets, judges each document once for its verdict (not timed), then times
    /// about `invoices` parse + transform runs over the documents in turn.
    private static let pythonScript = """
        import json, sys, time, xml.etree.ElementTree as tree
        from saxonche import PySaxonProcessor
        ubl, cii, rounds, documents = sys.argv[1], sys.argv[2], int(sys.argv[3]), [a.split(':', 1) for a in sys.argv[4:]]
        svrl = '{http://purl.oclc.org/dsdl/svrl}failed-assert'
        with PySaxonProcessor(license=False) as processor:
            compiler = processor.new_xslt30_processor()
            start = time.perf_counter()
            stylesheets = {'ubl': compiler.compile_stylesheet(stylesheet_file=ubl), 'cii': compiler.compile_stylesheet(stylesheet_file=cii)}
            compiling = time.perf_counter() - start
            texts = [(syntax, open(path, 'rb').read().decode('utf-8-sig')) for syntax, path in documents]
            verdicts = []
            for syntax, text in texts:
                report = stylesheets[syntax].transform_to_string(xdm_node=processor.parse_xml(xml_text=text))
                verdicts.append(sorted({node.get('id') for node in tree.fromstring(report.encode()).iter(svrl)}))
            start = time.perf_counter()
            for _ in range(rounds):
                for syntax, text in texts:
                    stylesheets[syntax].transform_to_string(xdm_node=processor.parse_xml(xml_text=text))
            seconds = time.perf_counter() - start
            print(json.dumps({'perInvoice': seconds / (rounds * len(texts)), 'compileSeconds': compiling,
                              'processor': processor.version, 'verdicts': verdicts}))
        """

    private struct Baseline: Decodable {
        var perInvoice: Double
        var compileSeconds: Double
        var processor: String
        var verdicts: [Set<String>]
    }

    private static func xsltTime(python: String, stylesheets: URL, documents: [(String, URL)], invoices: Int) throws -> Baseline {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", pythonScript,
                             stylesheets.appendingPathComponent("EN16931-UBL-validation.xslt").path,
                             stylesheets.appendingPathComponent("EN16931-CII-validation.xslt").path,
                             String(max(1, invoices / documents.count))] + documents.map { "\($0.0):\($0.1.path)" }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let baseline = try? JSONDecoder().decode(Baseline.self, from: data),
              baseline.verdicts.count == documents.count else {
            throw BenchError("the official XSLT did not run (\(python) exited \(process.terminationStatus); is saxonche installed?)")
        }
        return baseline
    }
}
