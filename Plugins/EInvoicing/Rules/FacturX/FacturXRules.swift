/// The Factur-X / ZUGFeRD profiles that are not EN 16931 invoices, as rule sets: each judged by its
/// own profile's Schematron (Factur-X 1.07.2 / ZUGFeRD 2.3.2, see README.md), not by EN 16931.
public enum FacturXRules {
    /// Factur-X MINIMUM.
    public static let minimum = RuleSet(
        reference: "Factur-X 1.07.2 MINIMUM (FNFE-MPE / FeRD Schematron)", patterns: patterns(FacturXMinimumRules.groups, profile: "MINIMUM"))

    /// Factur-X BASIC WL.
    public static let basicWL = RuleSet(
        reference: "Factur-X 1.07.2 BASIC WL (FNFE-MPE / FeRD Schematron)", patterns: patterns(FacturXBasicWLRules.groups + FacturXBasicWLStructure.groups, profile: "BASIC-WL"))

    /// Each group as a pattern of its own, as the profiles' Schematron holds one rule per pattern.
    private static func patterns(_ groups: [ContextRules], profile: String) -> [RulePattern] {
        groups.map { RulePattern("FACTUR-X_\(profile)", [$0]) }
    }
}
