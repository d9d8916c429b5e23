import Foundation
import HubCore
import HubTesting
import XCTest

/// `hub validate`, the real executable on real invoices: a report a supplier reads (or JSON), exit
/// status 0 when all conform, 1 when one does not, 2 on a usage error or a file it cannot read.
final class ValidateCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try TemporaryDirectory.make(prefix: "hub-validate")
        let fixtures = FolderIntakeTests.fixtures
        for (name, path) in [("ubl.xml", "ubl/ubl-tc434-example1.xml"), ("cii.xml", "cii/CII_example1.xml"),
                             ("akretion.pdf", "pdf/akretion-invoice_EN16931.pdf"), ("plain.pdf", "pdf/horstoeko-pdf_plain.pdf")] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(path), to: folder.appendingPathComponent(name))
        }
        // The official examples without their invoice number (BR-02).
        try write("broken-ubl.xml", try fixture("ubl.xml", removingLineWith: "<cbc:ID>12115118</cbc:ID>"))
        try write("broken-cii.xml", try fixture("cii.xml", removingLineWith: "<ram:ID>12115118</ram:ID>"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    private func write(_ name: String, _ data: Data) throws {
        try data.write(to: folder.appendingPathComponent(name))
    }

    /// The file `name` without its first line holding `text`.
    private func fixture(_ name: String, removingLineWith text: String) throws -> Data {
        let lines = try Data(contentsOf: folder.appendingPathComponent(name)).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let index = try XCTUnwrap(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains(text) })
        return Data(lines.enumerated().filter { $0.offset != index }.map(\.element).joined(separator: [UInt8(ascii: "\n")]))
    }

    private func validate(_ arguments: [String]) throws -> ExternalProgram.Result {
        try ExternalProgram.run(ExternalProgram.built("hub"), ["validate"] + arguments, in: folder)
    }

    func testConformantInvoicesOfEachKindExitZero() throws {
        let result = try validate(["ubl.xml", "cii.xml", "akretion.pdf"])
        XCTAssertEqual(result.status, 0, result.output + result.errors)
        XCTAssertEqual(result.errors, "", "no progress line when standard error is not a terminal")
        XCTAssertTrue(result.output.contains("""
            ubl.xml: conformant
              UBL invoice 12115118, profile EN16931, judged against EN 16931
            """), result.output)
        XCTAssertTrue(result.output.contains("""
            cii.xml: conformant
              CII invoice 12115118, profile EN16931, judged against EN 16931
            """), result.output)
        XCTAssertTrue(result.output.contains("""
            akretion.pdf: conformant
              Factur-X PDF (factur-x.xml, CII) invoice F20260023, profile EN16931, judged against EN 16931
            """), result.output)
        XCTAssertTrue(result.output.hasSuffix("3 file(s), all conformant\n"), result.output)
    }

    func testBrokenInvoicesAreReportedRuleByRuleAndExitOne() throws {
        let result = try validate(["broken-ubl.xml", "ubl.xml", "broken-cii.xml", "plain.pdf"])
        XCTAssertEqual(result.status, 1, result.output + result.errors)
        let output = result.output
        XCTAssertTrue(output.contains("broken-ubl.xml: NOT CONFORMANT,"), output)
        XCTAssertTrue(output.contains("  UBL invoice without a number, profile EN16931, judged against EN 16931"), output)
        XCTAssertNotNil(output.range(of: #"\n  RULE +FLAG +VALUE +WHERE +MESSAGE\n"#, options: .regularExpression), output)
        XCTAssertNotNil(output.range(of: #"\n  BR-02 +fatal +- +/Invoice +An Invoice shall have an Invoice number \(BT-1\)\.\n"#,
                                     options: .regularExpression), output)
        XCTAssertTrue(output.contains("broken-cii.xml: NOT CONFORMANT,"), output)
        XCTAssertNotNil(output.range(of: #"\n  BR-02 +fatal +- +/CrossIndustryInvoice +An Invoice shall have an Invoice number \(BT-1\)\.\n"#,
                                     options: .regularExpression), output)
        XCTAssertTrue(output.contains("ubl.xml: conformant"), output)
        XCTAssertTrue(output.contains("plain.pdf: NOT CHECKED: the PDF has no embedded invoice XML (no embedded files at all)"), output)
        XCTAssertTrue(output.hasSuffix("4 file(s): 1 conformant, 3 not\n"), output)
        // Reports come in the order the files were named, whatever order they were judged in.
        let order = ["broken-ubl.xml:", "\nubl.xml:", "broken-cii.xml:", "plain.pdf:"].compactMap { output.range(of: $0)?.lowerBound }
        XCTAssertEqual(order, order.sorted())
        XCTAssertEqual(order.count, 4)
    }

    func testEachRuleNamesTheValueItRefusedAndWhereItIs() throws {
        // The currency code misspelt and the amount due altered; the official artefact finds
        // BR-CL-04, BR-CO-15 and BR-CO-16 in this document.
        let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent("ubl.xml")), as: UTF8.self)
            .replacingOccurrences(of: ">EUR</cbc:DocumentCurrencyCode>", with: ">EURO</cbc:DocumentCurrencyCode>")
            .replacingOccurrences(of: #"<cbc:PayableAmount currencyID="EUR">"#, with: #"<cbc:PayableAmount currencyID="EUR">9"#)
        try write("wrong.xml", text)
        let result = try validate(["wrong.xml"])
        XCTAssertEqual(result.status, 1, result.output + result.errors)
        XCTAssertNotNil(result.output.range(of: #"\n  BR-CL-04 +fatal +"EURO" +/Invoice/DocumentCurrencyCode +Invoice currency code MUST be coded"#,
                                            options: .regularExpression), result.output)
        XCTAssertNotNil(result.output.range(of: #"\n  BR-CO-16 +fatal +"9250.33" +/Invoice/LegalMonetaryTotal/PayableAmount +Amount due for payment \(BT-115\)"#,
                                            options: .regularExpression), result.output)
        let json = try validate(["--format", "json", "wrong.xml"])
        let report = try JSONValue(parsing: Data(json.output.utf8))
        let failure = try XCTUnwrap(report["failures"]?.arrayValue?.first { $0["rule"] == .string("BR-CL-04") }, json.output)
        XCTAssertEqual(failure["value"], .string("EURO"))
        XCTAssertEqual(failure["location"], .string("/Invoice/DocumentCurrencyCode"))
        XCTAssertEqual(failure["terms"], .string("BT-5"))
    }

    func testTheJSONFormatPrintsOneReportPerLine() throws {
        let result = try validate(["--format", "json", "broken-ubl.xml", "akretion.pdf", "plain.pdf"])
        XCTAssertEqual(result.status, 1, result.errors)
        let reports = try result.output.split(separator: "\n").map { try JSONValue(parsing: Data($0.utf8)) }
        XCTAssertEqual(reports.count, 3, result.output)
        let broken = reports[0]
        XCTAssertEqual(broken["document"], .string("broken-ubl.xml"))
        XCTAssertEqual(broken["conformant"], .bool(false))
        XCTAssertEqual(broken["syntax"], .string("UBL"))
        XCTAssertEqual(broken["profile"], .string("EN16931"))
        XCTAssertNil(broken["number"], "absent values are left out")
        XCTAssertTrue(broken["reference"]?.stringValue?.hasPrefix("EN 16931") ?? false, result.output)
        let failure = try XCTUnwrap(broken["failures"]?.arrayValue?.first { $0["rule"] == .string("BR-02") }, result.output)
        XCTAssertEqual(failure, .object([
            "rule": .string("BR-02"), "flag": .string("fatal"), "terms": .string("BT-1"), "location": .string("/Invoice"),
            "message": .string("An Invoice shall have an Invoice number (BT-1)."),
        ]))
        XCTAssertEqual(reports[1]["conformant"], .bool(true))
        XCTAssertEqual(reports[1]["format"], .string("Factur-X"))
        XCTAssertEqual(reports[1]["embeddedFile"], .string("factur-x.xml"))
        XCTAssertEqual(reports[1]["failures"], .array([]))
        XCTAssertEqual(reports[2]["conformant"], .bool(false))
        XCTAssertTrue(reports[2]["unreadable"]?.stringValue?.contains("no embedded invoice XML") ?? false, result.output)
    }

    func testHostileAndEndlessInputGetAReportNotACrash() throws {
        try write("xxe.xml", #"<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>"#)
        let pdf = try Data(contentsOf: folder.appendingPathComponent("akretion.pdf"))
        try pdf.prefix(pdf.count / 3).write(to: folder.appendingPathComponent("truncated.pdf"))
        let result = try validate(["xxe.xml", "truncated.pdf", "/dev/zero"])
        XCTAssertEqual(result.status, 1, result.output + result.errors)
        XCTAssertTrue(result.output.contains("xxe.xml: NOT CHECKED: the XML declares a DOCTYPE"), result.output)
        XCTAssertFalse(result.output.contains("root:"), "nothing of /etc/passwd leaks")
        XCTAssertTrue(result.output.contains("truncated.pdf: NOT CHECKED: "), result.output)
        // An endless file is read only up to one byte past the validator's limit.
        XCTAssertTrue(result.output.contains("/dev/zero: NOT CHECKED: it is 10485761 bytes, larger than the 10485760 bytes the validator reads"),
                      result.output)
    }

    func testUsageErrorsAndFilesThatCannotBeReadExitTwo() throws {
        let none = try validate([])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.errors.contains("hub validate: validate needs one FILE or more"), none.errors)
        let format = try validate(["--format", "yaml", "ubl.xml"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.errors.contains(#"--format "yaml": expected text or json"#), format.errors)
        let option = try validate(["--strict", "yes", "ubl.xml"])
        XCTAssertEqual(option.status, 2)
        XCTAssertTrue(option.errors.contains("unknown option --strict"), option.errors)

        let missing = try validate(["ubl.xml", "missing.xml", "."])
        XCTAssertEqual(missing.status, 2, missing.output)
        XCTAssertTrue(missing.output.contains("ubl.xml: conformant"), missing.output)
        XCTAssertTrue(missing.output.contains("missing.xml: NOT CHECKED: the file cannot be read: there is no such file"), missing.output)
        XCTAssertTrue(missing.output.contains(".: NOT CHECKED: the file cannot be read: it is a folder"), missing.output)
    }
}
