@testable import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import HubXML
import XCTest

/// Each document against its own reference: Factur-X MINIMUM and BASIC WL by their profile's rules
/// (Factur-X 1.07.2 Schematron), EXTENDED by EN 16931 with its extra terms allowed, and every event
/// saying which reference and profile its verdict comes from. The expected failures of each
/// mutation are what the profile's official Schematron reports on the same document.
final class FacturXProfileTests: XCTestCase {
    /// What EN 16931's own artefact reports on a valid MINIMUM file, and must never be reported here.
    private static let en16931OnlyRules: Set<String> = ["BR-10", "BR-11", "BR-12", "BR-16", "BR-CO-10", "BR-CO-13", "BR-CO-14", "BR-CO-16"]

    func testValidMinimumAndBasicWLFilesPassTheirOwnProfile() throws {
        let expected = [("factur-x-minimum.xml", FacturXRules.minimum, "MINIMUM"), ("factur-x-basicwl.xml", FacturXRules.basicWL, "BASIC WL")]
        for (name, ruleSet, profile) in expected {
            let payload = try testKit.fixture("facturx-xml/\(name)")
            XCTAssertEqual(ruleSet.failures(in: try SafeXMLReader(maxBytes: 1 << 20).read(payload)), [], name)
            var connector = try CIIConnector(settings: testKit.settings(#"{"frenchIdentifiers": false}"#))
            let event = try XCTUnwrap(connector.decode(testKit.envelope(payload)).first)
            XCTAssertEqual(event.text("reference"), ruleSet.reference, name)
            XCTAssertEqual(event.text("profile"), profile, name)
            XCTAssertEqual(event.failedRules, [], "\(name): \(event.failureMessages)")
            XCTAssertEqual(event.attributes["valid"], .boolean(true), name)
        }
        var pdf = try FacturXConnector(settings: testKit.settings(#"{"frenchIdentifiers": false}"#))
        let avoir = try XCTUnwrap(pdf.decode(testKit.envelope(try testKit.fixture("pdf/mustang-validAvoir_FR_type380_BASICWL.pdf"))).first)
        XCTAssertEqual(avoir.text("reference"), FacturXRules.basicWL.reference)
        XCTAssertEqual(avoir.failedRules, [], "\(avoir.failureMessages)")
        XCTAssertTrue(Set(avoir.failedRules).isDisjoint(with: Self.en16931OnlyRules))
    }

    func testTheProfilesHoldTheirSchematronsRulesAndNotEN16931sLineRules() {
        XCTAssertEqual(FacturXRules.minimum.ruleIDs.filter { $0.hasPrefix("BR-") }.sorted(), [
            "BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-06", "BR-07", "BR-08", "BR-09", "BR-13", "BR-14", "BR-15",
            "BR-CO-09", "BR-CO-26", "BR-DEC-12", "BR-DEC-13", "BR-DEC-14", "BR-DEC-18",
        ])
        XCTAssertTrue(FacturXRules.minimum.ruleIDs.isDisjoint(with: Self.en16931OnlyRules))
        XCTAssertEqual(FacturXRules.minimum.patterns.flatMap(\.groups).map(\.rules.count).reduce(0, +), 54 + 11, "every assert and report")
        XCTAssertEqual(FacturXRules.basicWL.patterns.flatMap(\.groups).map(\.rules.count).reduce(0, +), 272 + 58, "every assert and report")
        // BASIC WL states BR-10, BR-11, BR-12, BR-CO-13/14/16 its own way (no lines); never BR-16 or BR-CO-10.
        XCTAssertEqual(FacturXRules.basicWL.ruleIDs.filter { $0.hasPrefix("BR-") }.count, 133)
        XCTAssertFalse(FacturXRules.basicWL.ruleIDs.contains("BR-16"))
        XCTAssertFalse(FacturXRules.basicWL.ruleIDs.contains("BR-CO-10"))
    }

    func testMutationsBreakTheProfilesRulesAsItsSchematronSays() throws {
        let minimum = try text("facturx-xml/factur-x-minimum.xml"), basicWL = try text("facturx-xml/factur-x-basicwl.xml")
        let cases: [(name: String, base: String, pattern: String, replacement: String, failures: [String])] = [
            ("no seller country", minimum, "<ram:CountryID>FR</ram:CountryID>", "", ["BR-09", "FX-SCH-A-000035"]),
            ("a buyer address", minimum, "<ram:Name>LE CLIENT</ram:Name>",
             "<ram:Name>LE CLIENT</ram:Name><ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>", ["FX-NOT-USED"]),
            ("three decimals due", minimum, "<ram:DuePayableAmount>104.90<", "<ram:DuePayableAmount>104.901<", ["BR-DEC-18"]),
            ("unknown type code", minimum, "<ram:TypeCode>380<", "<ram:TypeCode>999<", ["FX-SCH-A-000023"]),
            ("VAT total in another currency", minimum, #"currencyID="EUR">4.90"#, #"currencyID="USD">4.90"#, ["FX-NOT-USED"]),
            ("no total without VAT", minimum, "<ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>", "", ["BR-13", "FX-SCH-A-000041"]),
            ("VAT number prefix", minimum, "FR11123456782", "ZZ11123456782", ["BR-CO-09"]),
            ("no buyer name", minimum, "<ram:Name>LE CLIENT</ram:Name>", "", ["BR-07", "FX-SCH-A-000030"]),
            ("date format", minimum, #"format="102">20260131"#, #"format="101">20260131"#, ["BR-03", "FX-SCH-A-000022"]),
            ("currency", minimum, "<ram:InvoiceCurrencyCode>EUR<", "<ram:InvoiceCurrencyCode>EURO<", ["FX-NOT-USED", "FX-SCH-A-000040"]),
            ("scheme", minimum, #"<ram:ID schemeID="0002">987654321"#, #"<ram:ID schemeID="9999">987654321"#, ["FX-SCH-A-000031"]),
            ("amount due", basicWL, #"<ram:DuePayableAmount>[0-9.]+<"#, "<ram:DuePayableAmount>1.00<", ["BR-CO-16"]),
            ("total without VAT", basicWL, #"<ram:TaxBasisTotalAmount>[0-9.]+<"#, "<ram:TaxBasisTotalAmount>1.00<", ["BR-CO-13"]),
            ("VAT amount", basicWL, "<ram:CalculatedAmount>2.20<", "<ram:CalculatedAmount>3.20<", ["BR-CO-14", "BR-S-09"]),
            ("no line total", basicWL, #"<ram:LineTotalAmount>[0-9.]+</ram:LineTotalAmount>"#, "", ["BR-12", "BR-CO-13", "FX-SCH-A-000189"]),
            ("allowance total", basicWL, #"<ram:AllowanceTotalAmount>[0-9.]+<"#, "<ram:AllowanceTotalAmount>0.01<", ["BR-CO-11", "BR-CO-13"]),
            ("period", basicWL, #"format="102">20261231"#, #"format="102">20251231"#, ["BR-29"]),
            ("exempt without reason", basicWL, #"(?s)<ram:ExemptionReason>DEBOURS</ram:ExemptionReason>(.*?)<ram:ExemptionReasonCode>VATEX-EU-79-C</ram:ExemptionReasonCode>"#, "$1", ["BR-E-10"]),
            ("standard-rated allowance at 0%", basicWL, "<ram:RateApplicablePercent>20.00</ram:RateApplicablePercent>  <!-- BT-96",
             "<ram:RateApplicablePercent>0</ram:RateApplicablePercent>  <!-- BT-96", ["BR-S-06"]),
            ("not subject to VAT beside others", basicWL, "<ram:CategoryCode>K</ram:CategoryCode>", "<ram:CategoryCode>O</ram:CategoryCode>", ["BR-O-11", "BR-O-13", "BR-O-14"]),
            ("no VAT breakdown", basicWL, #"(?s)<ram:ApplicableTradeTax>.*?</ram:ApplicableTradeTax>"#, "", ["BR-CO-14"]),
            ("no payment terms", basicWL, #"(?s)<ram:SpecifiedTradePaymentTerms>.*?</ram:SpecifiedTradePaymentTerms>"#, "", ["BR-CO-25"]),
            ("a tax type other than VAT", basicWL, "<ram:TypeCode>VAT</ram:TypeCode>", "<ram:TypeCode>GST</ram:TypeCode>", ["BR-CO-17", "FX-SCH-A-000023"]),
            ("two invoice currencies", basicWL, "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
             "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", ["FX-SCH-A-000038"]),
            ("unknown exemption reason code", basicWL, "VATEX-EU-79-C", "VATEX-XX", ["FX-SCH-A-000181"]),
            ("unknown allowance reason code", basicWL, "<ram:ReasonCode>95<", "<ram:ReasonCode>9999<", ["FX-SCH-A-000186"]),
            ("currency on the grand total", basicWL, "<ram:GrandTotalAmount>", #"<ram:GrandTotalAmount currencyID="EUR">"#, ["FX-NOT-USED"]),
            ("accounting currency", basicWL, "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
             "<ram:TaxCurrencyCode>USD</ram:TaxCurrencyCode><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", ["BR-53", "BR-DEC-15"]),
        ]
        for item in cases {
            let mutated = try Self.replacingFirst(item.pattern, with: item.replacement, in: item.base)
            XCTAssertNotEqual(mutated, item.base, "\(item.name): the mutation applies")
            var connector = try CIIConnector(settings: testKit.settings(#"{"frenchIdentifiers": false}"#))
            let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(mutated.utf8))).first)
            XCTAssertEqual(Set(event.failedRules).sorted(), item.failures, "\(item.name): \(event.failureMessages)")
            XCTAssertEqual(event.attributes["valid"], .boolean(false), item.name)
            XCTAssertTrue(Set(event.failedRules).isDisjoint(with: ["BR-16", "BR-CO-10"]), item.name)
        }
    }

    func testAFailureSaysTermsValueAndLocation() throws {
        let mutated = try text("facturx-xml/factur-x-minimum.xml").replacingOccurrences(of: "<ram:DuePayableAmount>104.90<", with: "<ram:DuePayableAmount>104.901<")
        var connector = try CIIConnector(settings: testKit.settings(#"{"frenchIdentifiers": false}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(mutated.utf8))).first)
        XCTAssertEqual(event.failures, [[
            "rule": "BR-DEC-18", "flag": "fatal", "terms": "BT-115", "value": "104.901",
            "location": "/CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation/DuePayableAmount",
            "message": "The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.",
        ]])
    }

    func testEachProfileIsJudgedByItsOwnReference() throws {
        let example = try text("cii/CII_example1.xml")
        let declared = try XCTUnwrap(example.firstRange(of: #/<ram:GuidelineSpecifiedDocumentContextParameter>\s*<ram:ID>[^<]*</ram:ID>/#))
        let expected: [(String, String, String)] = [
            ("urn:factur-x.eu:1p0:minimum", "MINIMUM", FacturXRules.minimum.reference),
            ("urn:zugferd.de:2p0:basicwl", "BASIC WL", FacturXRules.basicWL.reference),
            ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "BASIC", EN16931Rules.cii.reference),
            ("urn:cen.eu:en16931:2017", "EN16931", EN16931Rules.cii.reference),
            ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "EXTENDED", InvoiceReferences.extended.reference),
            ("urn:example:unknown", "OTHER", EN16931Rules.cii.reference),
        ]
        for (bt24, profile, reference) in expected {
            var text = example
            text.replaceSubrange(declared, with: "<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>\(bt24)</ram:ID>")
            var connector = try CIIConnector(settings: testKit.settings())
            let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(text.utf8))).first)
            XCTAssertEqual(event.text("profile"), profile, bt24)
            XCTAssertEqual(event.text("reference"), reference, bt24)
        }
        var ubl = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(ubl.decode(testKit.envelope(try testKit.fixture("facturx-xml/ubl-21-en16931.xml"))).first)
        XCTAssertEqual(event.text("reference"), EN16931Rules.ubl.reference)
    }

    func testEveryEventSaysItsReferenceAndProfile() throws {
        for folder in ["ubl", "cii", "facturx-xml"] {
            for name in try testKit.fixtureNames(in: folder) {
                var connector: any Connector = name.hasPrefix("ubl") ? try UBLConnector(settings: testKit.settings()) : try CIIConnector(settings: testKit.settings())
                let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("\(folder)/\(name)"))).first)
                XCTAssertFalse(event.text("reference")?.isEmpty ?? true, name)
                XCTAssertFalse(event.text("profile")?.isEmpty ?? true, name)
            }
        }
        for name in try testKit.fixtureNames(in: "pdf") {
            var connector = try FacturXConnector(settings: testKit.settings())
            guard let event = try? connector.decode(testKit.envelope(try testKit.fixture("pdf/\(name)"))).first else { continue }
            XCTAssertFalse(event.text("reference")?.isEmpty ?? true, name)
            XCTAssertFalse(event.text("profile")?.isEmpty ?? true, name)
        }
    }

    func testExtendedIsNotRefusedForItsExtraTerms() throws {
        var connector = try FacturXConnector(settings: testKit.settings(#"{"frenchIdentifiers": false}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("pdf/horstoeko-pdf_fx_extended_1.pdf"))).first)
        XCTAssertEqual(event.text("profile"), "EXTENDED")
        XCTAssertEqual(event.text("reference"), InvoiceReferences.extended.reference)
        XCTAssertEqual(event.failedRules.filter { $0.hasPrefix("CII-SR-") || $0.hasPrefix("CII-DT-") }, [], "\(event.failureMessages)")
        // The EXTENDED set is EN 16931's CII set less exactly the rules that refuse a term's presence.
        let refusing = EN16931Rules.cii.ruleIDs.filter { id in
            EN16931Rules.cii.patterns.contains { $0.groups.contains { $0.rules.contains { $0.id == id && InvoiceReferences.refusesATerm($0) } } }
        }
        XCTAssertEqual(InvoiceReferences.extended.ruleIDs, EN16931Rules.cii.ruleIDs.subtracting(refusing))
    }

    func testAllowingExtraTermsDropsOnlyTheRulesRefusingATerm() throws {
        let document = try SafeXMLReader(maxBytes: 1 << 16).read(Data("""
            <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
              xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
              <rsm:ExchangedDocumentContext><ram:SpecifiedTransactionID>X</ram:SpecifiedTransactionID></rsm:ExchangedDocumentContext>
            </rsm:CrossIndustryInvoice>
            """.utf8))
        let syntax = RuleSet(reference: "test", patterns: [RulePattern("CII-syntax", [
            ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"), [
                BusinessRule("CII-SR-001", .warning, terms: "", "SpecifiedTransactionID should not be present") { !$0.exists("ram:SpecifiedTransactionID") },
                BusinessRule("CII-SR-009", terms: "", "GuidelineSpecifiedDocumentContextParameter must exist exactly once") {
                    $0.count("ram:GuidelineSpecifiedDocumentContextParameter") == 1
                },
            ]),
        ])])
        XCTAssertEqual(syntax.failures(in: document).map(\.rule), ["CII-SR-001", "CII-SR-009"])
        XCTAssertEqual(InvoiceReferences.allowingExtraTerms(syntax, reference: "extended").failures(in: document).map(\.rule), ["CII-SR-009"])
    }

    private func text(_ fixture: String) throws -> String {
        String(decoding: try testKit.fixture(fixture), as: UTF8.self)
    }

    /// `text` with the first match of the regular expression `pattern` replaced by `template` (`$1` allowed).
    private static func replacingFirst(_ pattern: String, with template: String, in text: String) throws -> String {
        let expression = try NSRegularExpression(pattern: pattern)
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, range: whole), let range = Range(match.range, in: text) else { return text }
        let replacement = expression.replacementString(for: match, in: text, offset: 0, template: template)
        return text.replacingCharacters(in: range, with: replacement)
    }
}
