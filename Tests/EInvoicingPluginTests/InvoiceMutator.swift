@testable import EInvoicingPlugin
import Foundation
import FoundationXML
import HubServices
import XCTest

/// The two syntaxes and the examples their mutants start from.
enum InvoiceSyntax: String, CaseIterable {
    case ubl, cii

    /// The complete, valid invoices the mutants start from (paths under Fixtures/).
    var examples: [String] {
        switch self {
        case .ubl: (1...6).map { "ubl/ubl-tc434-example\($0).xml" } + ["ubl/ubl-tc434-creditnote1.xml", "facturx-xml/ubl-21-en16931.xml"]
        case .cii: (1...5).map { "cii/CII_example\($0).xml" } + ["facturx-xml/factur-x-en16931.xml"]
        }
    }
}

/// A mutant written to disk, with what was done to it.
struct MutatedInvoice {
    let name: String
    let file: URL
    let mutations: String
}

/// Seeded mutations of complete invoices, made on their XML trees (FoundationXML) and written back.
struct InvoiceMutator {
    let syntax: InvoiceSyntax
    var random: SeededGenerator

    init(syntax: InvoiceSyntax, seed: UInt64) {
        self.syntax = syntax
        random = SeededGenerator(seed: seed &+ UInt64(syntax == .ubl ? 0 : 1))
    }

    /// `count` mutants of `examples` drawn at random. Every mutant starts with a code mutation taken
    /// in turn, so that every code list context meets valid and invalid codes whatever the draws:
    /// every other one an insertion (each insertion with each of its codes in turn), the others a
    /// coded element, coded attribute, identifier scheme or VAT category. Then up to two more
    /// mutations of any kind, drawn at random.
    mutating func corpus(from examples: [URL], count: Int, into folder: URL) throws -> [MutatedInvoice] {
        let originals = try examples.map { try Data(contentsOf: $0) }
        let insertions = insertions
        let targeted: [Kind] = [.code, .codeAttribute, .scheme, .vatCategory]
        var invoices: [MutatedInvoice] = []
        for index in 0..<count {
            let example = Int.random(in: 0..<examples.count, using: &random)
            let document = try XMLDocument(data: originals[example], options: [])
            let root = try XCTUnwrap(document.rootElement())
            let turn = index / 2
            var done: [String?] = []
            if index.isMultiple(of: 2) {
                let insertion = insertions[turn % insertions.count]
                done.append(insert(insertion, code: insertion.codes[(turn / insertions.count) % insertion.codes.count], into: root))
            } else {
                done.append(mutate(root, targeted[turn % targeted.count]))
            }
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                done.append(mutate(root, Kind.draws.randomElement(using: &random)!))
            }
            let name = "\(syntax.rawValue)-\(String(format: "%03d", index))-\(examples[example].deletingPathExtension().lastPathComponent)"
            let file = folder.appendingPathComponent(name + ".xml")
            try document.xmlData(options: []).write(to: file)
            invoices.append(MutatedInvoice(name: name, file: file, mutations: done.compactMap { $0 }.joined(separator: "; ")))
        }
        return invoices
    }

    private enum Kind {
        case changeAmount, addDecimals, remove, empty, vatCategory, vatRate, code, codeAttribute, scheme, chargeIndicator, insert

        /// The kinds to draw from, the frequent ones repeated.
        static let draws: [Kind] = [
            .changeAmount, .changeAmount, .addDecimals, .remove, .remove, .empty, .vatCategory, .vatRate, .chargeIndicator,
            .code, .code, .code, .codeAttribute, .codeAttribute, .scheme, .insert, .insert, .insert,
        ]
    }

    /// An element to add under every element named `parent`, `{}` standing for a code drawn from `codes`.
    private struct Insertion {
        let parents: [String]
        let xml: String
        let codes: [String]
        /// Whether a parent may hold several; if not, parents that hold one are skipped (a second
        /// `PartyLegalEntity` makes the artefact stop on `normalize-space` of two names).
        var repeatable = false

        /// The local name of the element added (`<cac:PartyLegalEntity>…` → `PartyLegalEntity`).
        var name: String {
            String(xml.dropFirst().prefix { $0 != " " && $0 != ">" }.split(separator: ":").last ?? "")
        }
    }

    /// Coded elements the examples lack, so that every code list rule meets valid and invalid codes.
    private var insertions: [Insertion] {
        switch syntax {
        case .ubl: [
            Insertion(parents: ["Invoice", "CreditNote"], xml: "<cbc:TaxCurrencyCode>{}</cbc:TaxCurrencyCode>", codes: ["SEK", "EUR", "EURO", "eu"]),
            Insertion(parents: ["Invoice", "CreditNote"], xml: "<cbc:Note>#{}#Subject</cbc:Note>", codes: ["AAI", "REG", "XQZ", "A A"], repeatable: true),
            Insertion(parents: ["Invoice", "CreditNote"], xml: "<cac:AdditionalDocumentReference><cbc:ID schemeID=\"{}\">X1</cbc:ID>"
                + "<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>", codes: ["AAA", "ABT", "ZZZ1", "XX"], repeatable: true),
            Insertion(parents: ["Invoice", "CreditNote"], xml: "<cac:AdditionalDocumentReference><cbc:ID>X2</cbc:ID><cac:Attachment>"
                + "<cbc:EmbeddedDocumentBinaryObject mimeCode=\"{}\" filename=\"a\">QQ==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
                + "</cac:AdditionalDocumentReference>", codes: ["application/pdf", "text/csv", "image/gif", "text/xml"], repeatable: true),
            Insertion(parents: ["AdditionalDocumentReference"], xml: "<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode=\"{}\" "
                + "filename=\"a\">QQ==</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>", codes: ["application/pdf", "text/csv", "image/gif", "text/xml"]),
            Insertion(parents: ["TaxCategory"], xml: "<cbc:TaxExemptionReasonCode>{}</cbc:TaxExemptionReasonCode>",
                      codes: ["VATEX-EU-IC", "vatex-eu-ae", "VATEX-EU-ZZ", "VATEX-FR-FRANCHISE"]),
            Insertion(parents: ["Item"], xml: "<cac:CommodityClassification><cbc:ItemClassificationCode listID=\"{}\">12345"
                + "</cbc:ItemClassificationCode></cac:CommodityClassification>", codes: ["STI", "MP", "ZZZ", "XX"], repeatable: true),
            Insertion(parents: ["Item"], xml: "<cac:StandardItemIdentification><cbc:ID schemeID=\"{}\">1234567890128</cbc:ID>"
                + "</cac:StandardItemIdentification>", codes: ["0160", "0088", "9999", "SEPA"]),
            Insertion(parents: ["Party"], xml: "<cac:PartyLegalEntity><cbc:RegistrationName>Name</cbc:RegistrationName>"
                + "<cbc:CompanyID schemeID=\"{}\">123</cbc:CompanyID></cac:PartyLegalEntity>", codes: ["0002", "0009", "9999", "XX"]),
            Insertion(parents: ["InvoicePeriod"], xml: "<cbc:DescriptionCode>{}</cbc:DescriptionCode>", codes: ["3", "35", "432", "5", "9"]),
            Insertion(parents: ["PartyLegalEntity"], xml: "<cbc:CompanyID schemeID=\"{}\">123</cbc:CompanyID>", codes: ["0002", "0009", "9999", "XX"]),
            Insertion(parents: ["Party"], xml: "<cbc:EndpointID schemeID=\"{}\">x@example.org</cbc:EndpointID>", codes: ["EM", "0088", "9999", "XX"]),
            Insertion(parents: ["Item"], xml: "<cac:OriginCountry><cbc:IdentificationCode>{}</cbc:IdentificationCode></cac:OriginCountry>",
                      codes: ["DE", "XX", "SS", "AN"]),
            Insertion(parents: ["AllowanceCharge"], xml: "<cbc:AllowanceChargeReasonCode>{}</cbc:AllowanceChargeReasonCode>",
                      codes: ["95", "FC", "ABL", "XYZ"]),
            Insertion(parents: ["Delivery"], xml: "<cac:DeliveryLocation><cbc:ID schemeID=\"{}\">123</cbc:ID></cac:DeliveryLocation>",
                      codes: ["0088", "9999", "SEPA"]),
            Insertion(parents: ["Invoice", "CreditNote"], xml: "<cac:Delivery><cac:DeliveryLocation><cbc:ID schemeID=\"{}\">123</cbc:ID>"
                + "</cac:DeliveryLocation></cac:Delivery>", codes: ["0088", "9999", "SEPA"]),
        ]
        case .cii: [
            Insertion(parents: ["ApplicableHeaderTradeSettlement"], xml: "<ram:TaxCurrencyCode>{}</ram:TaxCurrencyCode>", codes: ["SEK", "EUR", "EURO", "eu"]),
            Insertion(parents: ["ExchangedDocument"], xml: "<ram:IncludedNote><ram:Content>Text</ram:Content><ram:SubjectCode>{}</ram:SubjectCode>"
                + "</ram:IncludedNote>", codes: ["AAI", "REG", "ZZZ", "aai"], repeatable: true),
            Insertion(parents: ["ApplicableHeaderTradeAgreement"], xml: "<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>X1</ram:IssuerAssignedID>"
                + "<ram:TypeCode>130</ram:TypeCode><ram:ReferenceTypeCode>{}</ram:ReferenceTypeCode></ram:AdditionalReferencedDocument>",
                      codes: ["AAA", "ABT", "ZZZ1", "XX"], repeatable: true),
            Insertion(parents: ["ApplicableHeaderTradeAgreement"], xml: "<ram:AdditionalReferencedDocument><ram:IssuerAssignedID>X2</ram:IssuerAssignedID>"
                + "<ram:TypeCode>916</ram:TypeCode><ram:AttachmentBinaryObject mimeCode=\"{}\" filename=\"a\">QQ==</ram:AttachmentBinaryObject>"
                + "</ram:AdditionalReferencedDocument>", codes: ["application/pdf", "text/csv", "image/gif", "text/xml"], repeatable: true),
            Insertion(parents: ["SpecifiedTradeAllowanceCharge"], xml: "<ram:ReasonCode>{}</ram:ReasonCode>", codes: ["95", "FC", "ABL", "XYZ"]),
            Insertion(parents: ["ApplicableTradeTax"], xml: "<ram:DueDateTypeCode>{}</ram:DueDateTypeCode>", codes: ["5", "29", "72", "3", "9"]),
            Insertion(parents: ["AdditionalReferencedDocument"], xml: "<ram:AttachmentBinaryObject mimeCode=\"{}\" filename=\"a\">QQ=="
                + "</ram:AttachmentBinaryObject>", codes: ["application/pdf", "text/csv", "image/gif", "text/xml"]),
            Insertion(parents: ["ApplicableTradeTax"], xml: "<ram:ExemptionReasonCode>{}</ram:ExemptionReasonCode>",
                      codes: ["VATEX-EU-IC", "vatex-eu-ae", "VATEX-EU-ZZ", "VATEX-FR-FRANCHISE"]),
            Insertion(parents: ["SpecifiedTradeProduct"], xml: "<ram:DesignatedProductClassification><ram:ClassCode listID=\"{}\">12345"
                + "</ram:ClassCode></ram:DesignatedProductClassification>", codes: ["STI", "MP", "ZZZ", "XX"], repeatable: true),
            Insertion(parents: ["SpecifiedTradeProduct"], xml: "<ram:GlobalID schemeID=\"{}\">1234567890128</ram:GlobalID>", codes: ["0160", "0088", "9999", "SEPA"]),
            Insertion(parents: ["SellerTradeParty", "BuyerTradeParty"], xml: "<ram:SpecifiedLegalOrganization><ram:ID schemeID=\"{}\">123</ram:ID>"
                + "</ram:SpecifiedLegalOrganization>", codes: ["0002", "0009", "9999", "XX"]),
            Insertion(parents: ["SellerTradeParty", "BuyerTradeParty"], xml: "<ram:URIUniversalCommunication><ram:URIID schemeID=\"{}\">x@example.org"
                + "</ram:URIID></ram:URIUniversalCommunication>", codes: ["EM", "0088", "9999", "XX"]),
            Insertion(parents: ["IncludedSupplyChainTradeLineItem"], xml: "<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"{}\">1"
                + "</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>", codes: ["C62", "XYZ"]),
            Insertion(parents: ["SpecifiedTradeProduct"], xml: "<ram:OriginTradeCountry><ram:ID>{}</ram:ID></ram:OriginTradeCountry>",
                      codes: ["DE", "XX", "SS", "AN"]),
            Insertion(parents: ["ApplicableHeaderTradeDelivery"], xml: "<ram:ShipToTradeParty><ram:GlobalID schemeID=\"{}\">123</ram:GlobalID>"
                + "</ram:ShipToTradeParty>", codes: ["0088", "9999", "SEPA"]),
        ]
        }
    }

    /// `insertion` with `code`, under one of its parents drawn at random; nil when the document has none.
    private mutating func insert(_ insertion: Insertion, code: String, into root: XMLElement) -> String? {
        let parents = Self.descendants(of: root).filter { element in
            insertion.parents.contains(element.localName ?? "")
                && (insertion.repeatable || element.children?.contains { ($0 as? XMLElement)?.localName == insertion.name } != true)
        }
        guard let parent = pick(parents) else { return nil }
        var xml = insertion.xml.replacingOccurrences(of: "{}", with: code)
        xml.insert(contentsOf: namespaces, at: xml.firstIndex(where: { $0 == " " || $0 == ">" })!)
        guard let element = try? XMLElement(xmlString: xml) else { return nil }
        parent.addChild(element)
        return "added \(element.name!) \(code) under \(parent.name!)"
    }

    /// The namespace declarations an inserted fragment needs, on its top element.
    private var namespaces: String {
        ["cbc", "cac", "ram", "udt"].map { " xmlns:\($0)=\"\(RuleNamespaces.uris[Substring($0)]!)\"" }.joined()
    }

    /// One mutation of `kind`, on an element drawn at random; nil when the document has no element for it.
    private mutating func mutate(_ root: XMLElement, _ kind: Kind) -> String? {
        let elements = Self.descendants(of: root)
        let leaves = elements.filter { $0.children?.contains { $0 is XMLElement } != true }
        switch kind {
        case .changeAmount:
            guard let leaf = pick(leaves.filter { Self.isNumber($0, endingWith: ["Amount"]) }),
                  let value = XPathDecimal.parse(leaf.stringValue!) else { return nil }
            let changed = [value + Decimal(string: "0.01")!, value - Decimal(string: "0.01")!, value + 1, value - 10, value * 2, 0, -value]
                .randomElement(using: &random)!
            return set(leaf, to: "\(changed)")
        case .addDecimals:
            guard let leaf = pick(leaves.filter { Self.isNumber($0, endingWith: ["Amount", "Quantity", "Percent"]) }) else { return nil }
            let text = leaf.stringValue!
            return set(leaf, to: text.contains(".") ? text + ["1", "5", "0"].randomElement(using: &random)! : text + ".125")
        case .remove:
            guard let element = pick(Array(elements.dropFirst())) else { return nil }
            element.detach()
            return "removed \(element.name!)"
        case .empty:
            guard let leaf = pick(leaves.filter {
                // An empty number, date or boolean stops the artefact with a cast error instead of a verdict.
                XPathDecimal.parse($0.stringValue ?? "") == nil && !["ChargeIndicator", "Indicator", "DateTimeString"].contains($0.localName!)
                    && !$0.localName!.hasSuffix("Date")
            }) else { return nil }
            return set(leaf, to: "")
        case .vatCategory:
            let codes = syntax == .ubl
                ? leaves.filter { $0.localName == "ID" && ["TaxCategory", "ClassifiedTaxCategory"].contains(($0.parent as? XMLElement)?.localName ?? "") }
                : leaves.filter { $0.localName == "CategoryCode" }
            // Line, document level and allowance categories alike, then a category (or no valid one).
            guard let place = Set(codes.map(Self.place)).sorted().randomElement(using: &random),
                  let leaf = pick(codes.filter { Self.place($0) == place }) else { return nil }
            return set(leaf, to: ["S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "X", "s", "VAT", "1"].randomElement(using: &random)!)
        case .vatRate:
            let rates = syntax == .ubl
                ? leaves.filter { $0.localName == "Percent" && ["TaxCategory", "ClassifiedTaxCategory"].contains(($0.parent as? XMLElement)?.localName ?? "") }
                : leaves.filter { $0.localName == "RateApplicablePercent" }
            guard let leaf = pick(rates) else { return nil }
            return set(leaf, to: ["0", "0.00", "5.5", "10", "20", "21", "25", "100"].randomElement(using: &random)!)
        case .code:
            // A kind of coded element first (`PaymentMeans/PaymentMeansCode`), then one of them: every
            // context gets its turn, however many elements another has.
            guard let name = Set(leaves.compactMap(\.localName)).intersection(Self.codes.keys).sorted().randomElement(using: &random)
            else { return nil }
            let coded = leaves.filter { $0.localName == name }
            guard let place = Set(coded.map(Self.place)).sorted().randomElement(using: &random),
                  let leaf = pick(coded.filter { Self.place($0) == place }) else { return nil }
            return set(leaf, to: Self.codes[leaf.localName!]!.randomElement(using: &random)!)
        case .codeAttribute:
            // An attribute name first, then a kind of element bearing it, then one of them.
            let names = Self.attributeCodes.keys.sorted().filter { name in elements.contains { Self.attribute(name, of: $0) != nil } }
            guard let attribute = names.randomElement(using: &random) else { return nil }
            let coded = elements.filter { Self.attribute(attribute, of: $0) != nil }
            guard let place = Set(coded.map(Self.place)).sorted().randomElement(using: &random),
                  let element = pick(coded.filter { Self.place($0) == place }),
                  let node = Self.attribute(attribute, of: element) else { return nil }
            let value = Self.attributeCodes[attribute]!.randomElement(using: &random)!
            let before = node.stringValue ?? ""
            node.stringValue = value
            return "\(element.name!)/@\(attribute) \(before) → \(value)"
        case .scheme:
            // An identifier given a scheme (or another one), where the examples write none.
            let places = syntax == .ubl
                ? ["PartyLegalEntity/CompanyID", "PartyIdentification/ID", "DeliveryLocation/ID", "StandardItemIdentification/ID"]
                : ["SpecifiedLegalOrganization/ID", "SellerTradeParty/GlobalID", "BuyerTradeParty/GlobalID", "ShipToTradeParty/GlobalID"]
            guard let element = pick(elements.filter { places.contains(Self.place($0)) }) else { return nil }
            let value = Self.attributeCodes["schemeID"]!.randomElement(using: &random)!
            if let node = Self.attribute("schemeID", of: element) {
                node.stringValue = value
            } else if let node = XMLNode.attribute(withName: "schemeID", stringValue: value) as? XMLNode {
                element.addAttribute(node)
            }
            return "\(element.name!)/@schemeID → \(value)"
        case .insert:
            let insertion = insertions.randomElement(using: &random)!
            return insert(insertion, code: insertion.codes.randomElement(using: &random)!, into: root)
        case .chargeIndicator:
            guard let leaf = pick(leaves.filter { $0.localName == "ChargeIndicator" || ($0.localName == "Indicator" && ($0.parent as? XMLElement)?.localName == "ChargeIndicator") })
            else { return nil }
            return set(leaf, to: ["true", "false"].randomElement(using: &random)!)
        }
    }

    /// Replacement values for coded elements, valid and invalid ones.
    private static let codes: [String: [String]] = [
        "DocumentCurrencyCode": ["EUR", "USD", "SEK", "XXX", "EURO", "eur"],
        "InvoiceCurrencyCode": ["EUR", "USD", "SEK", "XXX", "EURO", "eur"],
        "TaxCurrencyCode": ["EUR", "SEK", "ZZZ", "eu"],
        "IdentificationCode": ["DE", "FR", "XX", "AN", "SS", "fr", "1A"],
        "CountryID": ["DE", "FR", "XX", "AN", "SS", "fr", "1A"],
        "InvoiceTypeCode": ["380", "381", "384", "389", "751", "999", "83", "502"],
        "CreditNoteTypeCode": ["381", "380", "83", "502", "999"],
        "TypeCode": ["380", "381", "384", "30", "58", "999", "83", "502", "ZZZ"],
        "PaymentMeansCode": ["30", "31", "58", "59", "ZZZ", "999"],
        "AllowanceChargeReasonCode": ["95", "100", "ZZZ", "AA", "FC", "XYZ"],
        "ReasonCode": ["95", "100", "ZZZ", "AA", "FC", "XYZ"],
        "TaxExemptionReasonCode": ["VATEX-EU-79-C", "vatex-eu-ic", "VATEX-EU-XX", "VATEX-EU-O"],
        "ExemptionReasonCode": ["VATEX-EU-79-C", "vatex-eu-ic", "VATEX-EU-XX", "VATEX-EU-O"],
        "DescriptionCode": ["3", "35", "432", "5", "9"],
        "DueDateTypeCode": ["5", "29", "72", "3", "9"],
        "SubjectCode": ["AAI", "ZZZ", "XXX", "AAA"],
        "DocumentTypeCode": ["130", "916", "50"],
        "ReferenceTypeCode": ["AAA", "ZZZ", "XX1"],
    ]

    /// Replacement values for coded attributes.
    private static let attributeCodes: [String: [String]] = [
        "currencyID": ["EUR", "USD", "eur", "EURO", "ZZZ"],
        "unitCode": ["C62", "H87", "XYZ", "c62"],
        "schemeID": ["0088", "0002", "9930", "SEPA", "9999", "EM", "XX"],
        "listID": ["STI", "MP", "ZZZ", "XX"],
        "mimeCode": ["application/pdf", "image/gif", "text/xml"],
    ]

    /// Whether `leaf` is named `…Amount` (or another of `suffixes`) and holds a decimal.
    private static func isNumber(_ leaf: XMLElement, endingWith suffixes: [String]) -> Bool {
        let name = leaf.localName ?? ""
        return suffixes.contains { name.hasSuffix($0) } && XPathDecimal.parse(leaf.stringValue ?? "") != nil
    }

    /// Where an element is, for drawing evenly among contexts: `PaymentMeans/PaymentMeansCode`.
    private static func place(_ element: XMLElement) -> String {
        "\((element.parent as? XMLElement)?.localName ?? "")/\(element.localName ?? "")"
    }

    /// The attribute `name` of `element`. (FoundationXML's `attribute(forName:)` finds nothing on an
    /// element under a default namespace, as UBL's are.)
    private static func attribute(_ name: String, of element: XMLElement) -> XMLNode? {
        element.attributes?.first { $0.name == name }
    }

    private mutating func pick(_ candidates: [XMLElement]) -> XMLElement? {
        candidates.isEmpty ? nil : candidates[Int.random(in: 0..<candidates.count, using: &random)]
    }

    private func set(_ leaf: XMLElement, to value: String) -> String {
        let before = leaf.stringValue ?? ""
        leaf.stringValue = value
        return "\(leaf.name!) \(before) → \(value)"
    }

    private static func descendants(of root: XMLElement) -> [XMLElement] {
        var result: [XMLElement] = []
        var stack = [root]
        while let element = stack.popLast() {
            result.append(element)
            stack.append(contentsOf: (element.children ?? []).compactMap { $0 as? XMLElement }.reversed())
        }
        return result
    }
}
