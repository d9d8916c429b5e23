import Foundation

/// What a supplier or an accounts-payable clerk learns about one document: which syntax and profile
/// it is in, the reference it was judged against, whether it conforms, and every rule it breaks,
/// with the offending value and where it is. `hub validate` prints it, `POST /api/v1/validate`
/// answers it; its JSON (`jsonData`) is the same in both.
///
/// A document that cannot be judged at all (not XML, truncated, too large, declaring a DTD, a PDF
/// without an embedded invoice, not an invoice syntax) has a report too: `unreadable` says why, it
/// is not conformant, and it lists no failure.
public struct ValidationReport: Codable, Sendable, Equatable {
    /// One rule the document breaks.
    public struct Failure: Codable, Sendable, Equatable {
        /// The rule's identifier (`BR-CO-15`, `BR-CL-04`, `UBL-SR-12`).
        public var rule: String
        /// `fatal` (the document does not conform) or `warning`.
        public var flag: RuleFlag
        /// What the rule requires, in the words of the reference.
        public var message: String
        /// The business terms concerned (`BT-112`), when the rule names them.
        public var terms: String?
        /// The offending value as written, when the rule is about a value that is there.
        public var value: String?
        /// Where it is: an XPath a person can follow (`/Invoice/InvoiceLine[2]/cbc:...`).
        public var location: String?

        /// The failure the rule engine reported.
        public init(_ failure: RuleFailure) {
            rule = failure.rule
            flag = failure.flag
            message = failure.message
            terms = failure.terms
            value = failure.value
            location = failure.location
        }
    }

    /// What the document was called: its file name, or the name the API caller gave.
    public var document: String
    /// How it came: `UBL`, `CII` (XML) or `Factur-X` (a PDF carrying CII); nil when not even that is known.
    public var format: String?
    /// The name of the XML file a Factur-X / ZUGFeRD PDF embeds (`factur-x.xml`).
    public var embeddedFile: String?
    /// The invoice syntax: `UBL` or `CII`; nil when the document is neither.
    public var syntax: String?
    /// The specification identifier (BT-24) as written, when there is one.
    public var specificationID: String?
    /// The Factur-X / EN 16931 profile BT-24 names (`EN16931`, `BASIC WL`, `OTHER`).
    public var profile: String?
    /// The invoice number (BT-1), when there is one: the reference a supplier and a buyer share.
    public var number: String?
    /// What the verdict is relative to (`EN 16931 (CEN/TC 434 UBL artefact)`); nil when nothing was judged.
    public var reference: String?
    /// Whether the document conforms: it was judged and breaks no fatal rule.
    public var conformant: Bool
    /// Why the document could not be judged; nil when it was.
    public var unreadable: String?
    /// Every rule broken, in document order, then the reference's order.
    public var failures: [Failure]

    /// A report; `conformant` follows from `failures` and `unreadable`.
    public init(document: String, format: String? = nil, embeddedFile: String? = nil, syntax: String? = nil,
                specificationID: String? = nil, profile: String? = nil, number: String? = nil, reference: String? = nil,
                unreadable: String? = nil, failures: [Failure] = []) {
        self.document = document
        self.format = format
        self.embeddedFile = embeddedFile
        self.syntax = syntax
        self.specificationID = specificationID
        self.profile = profile
        self.number = number
        self.reference = reference
        self.unreadable = unreadable
        self.failures = failures
        conformant = unreadable == nil && reference != nil && !failures.contains { $0.flag == .fatal }
    }

    /// How many fatal failures the document has.
    public var fatalCount: Int { failures.count { $0.flag == .fatal } }

    /// How many warnings the document has.
    public var warningCount: Int { failures.count { $0.flag == .warning } }

    /// The report as compact JSON with keys sorted and absent values left out: the same report
    /// always gives the same bytes.
    public var jsonData: Data {
        // Encoding plain strings, numbers and booleans cannot fail.
        (try? Self.encoder.encode(self)) ?? Data()
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Flags are written as the artefacts write them: `fatal`, `warning`.
extension RuleFlag: Codable {}
