@testable import EInvoicingPlugin
import Foundation
import HubXML
import XCTest

/// The VAT category rules cast untyped text to `xs:double` (`cbc:Percent > 0`,
/// `ram:RateApplicablePercent = 0`). Each lexical form XPath allows for a double (`+INF`, `INF`,
/// `-INF`, `NaN`, exponents, signs, a leading or trailing point, surrounding spaces), and some it
/// does not, is put in a VAT rate, a tax amount, a calculated amount and a basis of complete UBL
/// and CII examples, and the hub's BR-* verdicts are compared with the official artefacts' run by
/// saxonche on the same files.
///
/// What this showed: the artefacts also cast these values to `xs:decimal`, which refuses the
/// double-only forms (`INF`, `NaN`, exponents), so Saxon stops on those documents without a
/// verdict; the signed, spaced, trailing-point and negative-zero forms are judged, and those are
/// compared.
final class NumberLexicalFormTests: XCTestCase {
    static let forms = ["+INF", "INF", "-INF", "NaN", "1E1", "2e+1", "+20", " 20 ", "20.", ".5E2", "-0", "inf", "1e", "0x14", "20%"]

    func testNumbersInEveryLexicalFormGetTheOfficialVerdicts() throws {
        let python = DifferentialComparison.repository.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw DifferentialError("no \(python.path): run scripts/test, which creates it with saxonche")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("en16931-lexical-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // The first such element of a complete example.
        let bases: [(syntax: InvoiceSyntax, example: String, element: String)] = [
            (.ubl, "ubl/ubl-tc434-example1.xml", "cbc:Percent"),
            (.cii, "cii/CII_example1.xml", "ram:RateApplicablePercent"),
            (.ubl, "ubl/ubl-tc434-example1.xml", "cbc:TaxAmount"),
            (.cii, "cii/CII_example1.xml", "ram:CalculatedAmount"),
            (.ubl, "ubl/ubl-tc434-example2.xml", "cbc:Percent"),
            (.cii, "cii/CII_example2.xml", "ram:BasisAmount"),
        ]
        var files: [InvoiceSyntax: [URL]] = [:]
        for base in bases {
            let original = try String(contentsOf: DifferentialComparison.fixtures.appendingPathComponent(base.example), encoding: .utf8)
            // The element's first start tag (with or without attributes), to its end tag.
            let start = try XCTUnwrap(original.range(of: "<\(base.element)>") ?? original.range(of: "<\(base.element) "),
                                      "\(base.example) has no \(base.element)")
            let open = try XCTUnwrap(original.range(of: ">", range: start.lowerBound..<original.endIndex))
            let close = try XCTUnwrap(original.range(of: "</\(base.element)>", range: open.upperBound..<original.endIndex))
            for (index, form) in Self.forms.enumerated() {
                let file = folder.appendingPathComponent("\(base.syntax)-\(base.element.replacingOccurrences(of: ":", with: "-"))-\(base.example.hasSuffix("2.xml") ? 2 : 1)-\(index).xml")
                try Data(original.replacingCharacters(in: open.upperBound..<close.lowerBound, with: form).utf8).write(to: file)
                files[base.syntax, default: []].append(file)
            }
        }
        let runs = try InvoiceSyntax.allCases.map { syntax in
            try OfficialArtefactRun(python: python, script: DifferentialComparison.fixtures.appendingPathComponent("en16931-xslt/official-verdicts.py"),
                                    syntax: syntax, files: files[syntax]!, scratch: folder)
        }
        var judged = 0
        for (syntax, run) in zip(InvoiceSyntax.allCases, runs) {
            let verdicts = try run.verdicts()
            for (index, file) in files[syntax]!.enumerated() {
                let verdict = try XCTUnwrap(verdicts[file.path], "the artefact said nothing on \(file.lastPathComponent)")
                // The hub judges every file, whatever the form.
                let root = try SafeXMLReader(maxBytes: 4 << 20).read(Data(contentsOf: file))
                let ruleSet = try XCTUnwrap(InvoiceReferences.ruleSet(for: root))
                let hub = Set(ruleSet.failures(in: root).map(\.rule).filter { $0.hasPrefix("BR-") })
                // A form the artefact cannot cast stops it with an error instead of a verdict: nothing to compare.
                guard let failed = verdict.failed else { continue }
                judged += 1
                let official = Set(failed.map(\.id).filter { $0.hasPrefix("BR-") })
                XCTAssertEqual(hub.sorted(), official.sorted(), "\(file.lastPathComponent) \"\(Self.forms[index % Self.forms.count])\": the hub's verdicts, then the artefact's")
            }
        }
        // `+20`, ` 20 `, `20.` and `-0` in each of the six places.
        XCTAssertGreaterThanOrEqual(judged, 4 * bases.count, "the artefact judged too few of the files to compare")
    }
}
