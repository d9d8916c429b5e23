/// One business rule an invoice breaks: the rule's id (`BR-CO-15`, `FR-SIRET`) and what to do about it.
public struct RuleFailure: Sendable, Hashable, CustomStringConvertible {
    /// The rule's identifier: EN 16931's (`BR-01`, `BR-CO-10`, `BR-S-08`) or the hub's (`FR-SIREN`, `DUPLICATE`).
    public var rule: String
    /// What is wrong, in words a finance officer can act on.
    public var message: String

    /// Creates a failure.
    public init(_ rule: String, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}
