/// One business rule an invoice breaks: the rule's id (`BR-CO-15`, `FR-SIRET`), what to do about it,
/// and where the offending value is.
public struct RuleFailure: Sendable, Hashable, CustomStringConvertible {
    /// The rule's identifier: EN 16931's (`BR-01`, `BR-CO-10`, `BR-S-08`) or the hub's (`FR-SIREN`, `DUPLICATE`).
    public var rule: String
    /// What is wrong, in words a finance officer can act on.
    public var message: String
    /// Whether the invoice is non-conformant (fatal) or only flagged (warning).
    public var flag: RuleFlag
    /// The business terms concerned (`BT-115`), nil when not one of EN 16931's.
    public var terms: String?
    /// The offending value as written in the document, nil when the rule is about a missing one.
    public var value: String?
    /// Where in the document (`/Invoice/InvoiceLine[2]/Price`), nil when not tied to a place.
    public var location: String?

    /// Creates a failure.
    public init(_ rule: String, _ message: String, flag: RuleFlag = .fatal, terms: String? = nil,
                value: String? = nil, location: String? = nil) {
        self.rule = rule
        self.message = message
        self.flag = flag
        self.terms = terms
        self.value = value
        self.location = location
    }

    public var description: String { "\(rule): \(message)" }
}
