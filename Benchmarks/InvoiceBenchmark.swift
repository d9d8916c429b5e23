import Foundation
import HubCore
import HubServices

/// Benchmark 3: UBL and CII invoices parsed and checked by the e-invoicing connectors (XML parse,
/// EN 16931 and French checks, event built), beside the Python `factur-x` package checking the
/// same CII files against its XSD (`facturx.xml_check_xsd`), run by the interpreter in `HUB_PYTHON`.
enum InvoiceBenchmark {
    struct Result {
        var ublFiles: Int
        var ciiFiles: Int
        var ublRate: Double
        var ciiRate: Double
        /// Python's rate on the CII files, nil when no interpreter with `factur-x` is available.
        var baselineRate: Double?
        /// Why there is no baseline, or how many files its XSD accepted.
        var baselineNote: String
    }

    /// Runs about `invoices` checks per syntax over the fixture files under `fixtures`, in three rounds.
    static func run(invoices: Int, fixtures: URL) throws -> Result {
        let ubl = try files(in: fixtures.appendingPathComponent("ubl"))
        let cii = try files(in: fixtures.appendingPathComponent("cii")) + files(in: fixtures.appendingPathComponent("facturx-xml"))
            .filter { $0.lastPathComponent.hasPrefix("factur-x") }
        guard !ubl.isEmpty, !cii.isEmpty else { throw BenchError("no UBL or CII fixtures under \(fixtures.path)") }
        // Three alternating rounds, the best of each side kept: on a shared machine the load of
        // other tenants changes from second to second, and alternating exposes both sides to it.
        var result = Result(ublFiles: ubl.count, ciiFiles: cii.count, ublRate: 0, ciiRate: 0, baselineRate: nil, baselineNote: "")
        let perRound = max(1, invoices / 3)
        for _ in 0..<3 {
            result.ublRate = max(result.ublRate, try rate(connector: "einvoicing.ubl", files: ubl, invoices: perRound))
            result.ciiRate = max(result.ciiRate, try rate(connector: "einvoicing.cii", files: cii, invoices: perRound))
            let (baseline, note) = pythonRate(files: cii, invoices: perRound)
            result.baselineNote = note
            guard let baseline else { continue }
            result.baselineRate = max(result.baselineRate ?? 0, baseline)
        }
        return result
    }

    private static func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "xml" }.sorted { $0.path < $1.path }
    }

    private static func rate(connector id: String, files: [URL], invoices: Int) throws -> Double {
        let payloads = try files.map { try Data(contentsOf: $0) }
        var connector = try ConnectorCatalog.compiledIn.make(id: id, settings: .object([:]))
        let receivedAt = Timestamp.now()
        let rounds = max(1, invoices / payloads.count)
        var events = 0
        let start = DispatchTime.now()
        for _ in 0..<rounds {
            for (index, payload) in payloads.enumerated() {
                events += try connector.decode(Envelope(route: "bench", source: .file, origin: files[index].lastPathComponent,
                                                        payload: payload, receivedAt: receivedAt)).count
            }
        }
        let seconds = DecodeBenchmark.seconds(since: start)
        guard events == rounds * payloads.count else { throw BenchError("\(id) decoded \(events) of \(rounds * payloads.count) invoices") }
        return Double(events) / seconds
    }

    private static let pythonScript = """
        import sys, time, facturx
        paths, rounds = sys.argv[2:], int(sys.argv[1])
        data = [open(p, 'rb').read() for p in paths]
        accepted = 0
        for d in data:
            try:
                facturx.xml_check_xsd(d, flavor='autodetect', level='autodetect'); accepted += 1
            except Exception:
                pass
        start = time.perf_counter()
        for _ in range(rounds):
            for d in data:
                try:
                    facturx.xml_check_xsd(d, flavor='autodetect', level='autodetect')
                except Exception:
                    pass
        print(rounds * len(data) / (time.perf_counter() - start), accepted)
        """

    private static func pythonRate(files: [URL], invoices: Int) -> (Double?, String) {
        guard let python = ProcessInfo.processInfo.environment["HUB_PYTHON"], !python.isEmpty else {
            return (nil, "not run: HUB_PYTHON is not set (scripts/bench installs factur-x)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", pythonScript, String(max(1, invoices / files.count))] + files.map(\.path)
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            return (nil, "not run: \(python) cannot start: \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard process.terminationStatus == 0, parts.count == 2, let rate = Double(parts[0]) else {
            return (nil, "failed: python exited \(process.terminationStatus) (is factur-x installed?)")
        }
        return (rate, "factur-x xml_check_xsd, XSD accepted \(parts[1]) of \(files.count)")
    }
}
