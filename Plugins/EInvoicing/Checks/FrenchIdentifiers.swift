/// French company identifiers: SIREN (9 digits) and SIRET (14 digits) by their Luhn check digit,
/// and the key of an FR VAT number computed from the SIREN.
public enum FrenchIdentifiers {
    /// La Poste's SIREN: its establishments' SIRETs do not satisfy the Luhn check; instead the sum
    /// of their digits is a multiple of 5 (INSEE's documented exception; the head office's SIRET
    /// 356 000 000 00048 satisfies Luhn as usual).
    public static let laPosteSIREN = "356000000"

    /// Whether `siren` is 9 digits with a valid Luhn check digit.
    public static func isValidSIREN(_ siren: String) -> Bool {
        siren.count == 9 && siren.allSatisfy(\.isASCIIDigit) && (luhn(siren) || siren == laPosteSIREN)
    }

    /// Whether `siret` is 14 digits with a valid check (Luhn, or La Poste's digit sum).
    public static func isValidSIRET(_ siret: String) -> Bool {
        guard siret.count == 14, siret.allSatisfy(\.isASCIIDigit) else { return false }
        if siret.hasPrefix(laPosteSIREN), siret.compactMap(\.wholeNumberValue).reduce(0, +) % 5 == 0 { return true }
        return luhn(siret)
    }

    /// The two-digit key of the FR VAT number of `siren`: (12 + 3 x (SIREN mod 97)) mod 97.
    public static func vatKey(forSIREN siren: String) -> String? {
        guard siren.count == 9, let number = Int(siren) else { return nil }
        let key = (12 + 3 * (number % 97)) % 97
        return key < 10 ? "0\(key)" : String(key)
    }

    /// The failures of one party's French identifiers; `role` is "seller" or "buyer".
    static func failures(of party: Party, role: String) -> [RuleFailure] {
        var failures: [RuleFailure] = []
        if let siret = party.siret, !isValidSIRET(siret) {
            failures.append(RuleFailure("FR-SIRET", "the \(role)'s SIRET \(siret) has a wrong check digit: check it against the INSEE directory (annuaire-entreprises.data.gouv.fr)"))
        } else if party.siret == nil, let siren = party.siren, !isValidSIREN(siren) {
            failures.append(RuleFailure("FR-SIREN", "the \(role)'s SIREN \(siren) has a wrong check digit: check it against the INSEE directory"))
        }
        if let vat = party.vatID?.filter({ !$0.isWhitespace }).uppercased(), vat.hasPrefix("FR") {
            let body = vat.dropFirst(2)
            let key = String(body.prefix(2)), siren = String(body.dropFirst(2))
            if body.count != 11 || !siren.allSatisfy(\.isASCIIDigit) {
                failures.append(RuleFailure("FR-VAT", "the \(role)'s VAT number \(vat) is not FR followed by a 2-character key and a 9-digit SIREN"))
            } else if key.allSatisfy(\.isASCIIDigit), let expected = vatKey(forSIREN: siren), key != expected {
                failures.append(RuleFailure("FR-VAT", "the \(role)'s VAT number \(vat) has key \(key) but SIREN \(siren) gives key \(expected)"))
            } else if let partySIREN = party.siren, partySIREN != siren {
                failures.append(RuleFailure("FR-VAT", "the \(role)'s VAT number \(vat) is for SIREN \(siren) but the \(role)'s identifier is SIREN \(partySIREN)"))
            }
        }
        return failures
    }

    private static func luhn(_ digits: String) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().compactMap(\.wholeNumberValue).enumerated() {
            let value = index % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0
    }
}
