@testable import EInvoicingPlugin
import Foundation
import HubXML
import Synchronization
import XCTest

/// The hub's EN 16931 verdicts against the official CEN/TC 434 artefacts' on hundreds of mutated
/// complete invoices: the repository's UBL and CII examples with amounts and totals changed,
/// elements removed or emptied, VAT categories and rates changed, codes replaced and decimals added,
/// each seeded so every run judges the same documents. The artefacts (the XSLT copied in
/// `Fixtures/en16931-xslt/`) run in one saxonche process per syntax, with the repository's `.venv`
/// Python that `scripts/test` prepares.
final class OfficialArtefactDifferentialTests: XCTestCase {
    /// Every BR-* rule the artefact reports on a mutated invoice is one the hub reports, and the reverse.
    func testEveryRuleAgreesWithTheOfficialArtefact() throws {
        let comparison = try Self.comparison()
        let report = comparison.report(of: comparison.disagreements)
        XCTAssertTrue(comparison.disagreements.isEmpty, report)
    }

    /// The rules of the code list patterns (BR-CL-*; UBL's BR-CL-08 is in its model pattern) agree
    /// on every mutated invoice, and the corpus reaches every one of them.
    func testCodeListRulesAgreeWithTheOfficialArtefact() throws {
        let comparison = try Self.comparison()
        let patterns: [InvoiceSyntax: Set<String>] = [
            .ubl: Set(UBLCodeListRules.pattern.groups.flatMap { $0.rules.map(\.id) }),
            .cii: Set(CIICodeListRules.pattern.groups.flatMap { $0.rules.map(\.id) }),
        ]
        let codeLists = comparison.disagreements.filter { patterns[$0.syntax]!.contains($0.rule) }
        XCTAssertTrue(codeLists.isEmpty, comparison.report(of: codeLists))
        for syntax in InvoiceSyntax.allCases {
            let unreached = patterns[syntax]!.subtracting(comparison.officialFailures[syntax] ?? [])
            XCTAssertEqual(unreached.sorted(), [], "code list rules the artefact never reports on the \(syntax) mutants")
        }
    }

    /// The corpus, judged once by both sides (on first use) for all the tests of this class.
    private static let judged = Result { try DifferentialComparison.run() }

    private static func comparison() throws -> DifferentialComparison { try judged.get() }
}

/// Both sides' verdicts on one corpus, and where they differ.
struct DifferentialComparison {
    /// One rule one side reports on a document and the other does not.
    struct Disagreement {
        let syntax: InvoiceSyntax
        let document: String
        let mutations: String
        let rule: String
        let officialOnly: Bool
    }

    let documents: Int
    let unjudged: [String]
    let disagreements: [Disagreement]
    /// Every BR-* rule the artefact reports on some mutant, per syntax.
    let officialFailures: [InvoiceSyntax: Set<String>]

    /// Mutants per syntax: several hundred, judged by both sides in well under a minute.
    static let mutantsPerSyntax = 250
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/EInvoicingPluginTests/Fixtures")

    /// Writes the mutated corpus, asks the artefacts, asks the hub, compares.
    static func run() throws -> DifferentialComparison {
        let python = repository.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw DifferentialError("no \(python.path): run scripts/test, which creates it with saxonche")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("en16931-differential-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var corpus: [InvoiceSyntax: [MutatedInvoice]] = [:]
        for syntax in InvoiceSyntax.allCases {
            var mutator = InvoiceMutator(syntax: syntax, seed: 13_16931)
            corpus[syntax] = try mutator.corpus(
                from: syntax.examples.map { fixtures.appendingPathComponent($0) }, count: mutantsPerSyntax, into: folder)
        }
        // One artefact process per syntax, both at once; each prints its JSON when it is done.
        let runs = try InvoiceSyntax.allCases.map { syntax in
            try OfficialArtefactRun(python: python, script: fixtures.appendingPathComponent("en16931-xslt/official-verdicts.py"),
                                    syntax: syntax, files: corpus[syntax]!.map(\.file), scratch: folder)
        }
        // The hub judges while the artefacts run, on as many threads as there are cores.
        let invoices = Array(corpus.values.joined())
        let judgements = Mutex<[URL: Result<Set<String>, Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: invoices.count) { index in
            let judgement = Result { try judge(invoices[index]) }
            judgements.withLock { $0[invoices[index].file] = judgement }
        }
        let hubFailures = try judgements.withLock { try $0.mapValues { try $0.get() } }
        var unjudged: [String] = []
        var disagreements: [Disagreement] = []
        var officialFailures: [InvoiceSyntax: Set<String>] = [:]
        for (syntax, run) in zip(InvoiceSyntax.allCases, runs) {
            let verdicts = try run.verdicts()
            for invoice in corpus[syntax]! {
                let verdict = try XCTUnwrap(verdicts[invoice.file.path], "the artefact said nothing on \(invoice.name)")
                guard let failed = verdict.failed else {
                    unjudged.append("\(invoice.name) (\(invoice.mutations)): \(verdict.error ?? "")")
                    continue
                }
                let official = Set(failed.map(\.id).filter { $0.hasPrefix("BR-") })
                officialFailures[syntax, default: []].formUnion(official)
                let hub = hubFailures[invoice.file]!
                for rule in official.symmetricDifference(hub).sorted() {
                    disagreements.append(Disagreement(syntax: syntax, document: invoice.name, mutations: invoice.mutations, rule: rule,
                                                      officialOnly: official.contains(rule)))
                }
            }
        }
        let documents = corpus.values.map(\.count).reduce(0, +)
        // Mutations are chosen so the artefact can judge almost every document (an empty or
        // non-numeric amount makes it stop with a cast error instead of a verdict).
        if unjudged.count * 20 > documents {
            throw DifferentialError("the artefact could not judge \(unjudged.count) of \(documents) documents:\n" + unjudged.prefix(20).joined(separator: "\n"))
        }
        return DifferentialComparison(documents: documents, unjudged: unjudged, disagreements: disagreements,
                                      officialFailures: officialFailures)
    }

    /// The BR-* rules the hub reports on `invoice`.
    private static func judge(_ invoice: MutatedInvoice) throws -> Set<String> {
        let root = try SafeXMLReader(maxBytes: 4 << 20).read(Data(contentsOf: invoice.file))
        let ruleSet = try XCTUnwrap(InvoiceReferences.ruleSet(for: root), "\(invoice.name): no rule set")
        return Set(ruleSet.failures(in: root).map(\.rule).filter { $0.hasPrefix("BR-") })
    }

    /// The disagreements by rule family, then by rule with the documents (a few per rule).
    func report(of disagreements: [Disagreement]) -> String {
        let byRule = Dictionary(grouping: disagreements, by: \.rule)
        let byFamily = Dictionary(grouping: disagreements, by: { Self.family(of: $0.rule) })
        var lines = ["\(disagreements.count) rule verdicts differ from the official artefact's on \(documents - unjudged.count) "
            + "mutated invoices (of \(documents): \(unjudged.count) the artefact could not judge)."]
        lines.append("By family: " + byFamily.keys.sorted().map { "\($0) \(byFamily[$0]!.count)" }.joined(separator: ", "))
        for rule in byRule.keys.sorted() {
            let cases = byRule[rule]!
            let official = cases.filter(\.officialOnly).count
            lines.append("\(rule): \(official) only the artefact reports, \(cases.count - official) only the hub reports")
            for item in cases.prefix(4) {
                lines.append("    \(item.officialOnly ? "artefact" : "hub"): \(item.document) [\(item.mutations)]")
            }
            if cases.count > 4 {
                lines.append("    and " + cases.dropFirst(4).map { "\($0.document) (\($0.officialOnly ? "artefact" : "hub"))" }.joined(separator: ", "))
            }
        }
        if !unjudged.isEmpty {
            lines.append("Not judged by the artefact (Saxon stopped with an error):")
            lines += unjudged.prefix(10).map { "    " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// `BR-CL-14` → `BR-CL`, `BR-S-08` → `BR-S`, `BR-52` → `BR`.
    static func family(of rule: String) -> String {
        let parts = rule.split(separator: "-")
        return parts.count > 2 ? parts.dropLast().joined(separator: "-") : String(parts[0])
    }
}

/// Why the differential test could not compare.
struct DifferentialError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
