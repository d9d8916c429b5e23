import Foundation

/// What the CEN/TC 434 UBL artefact's VAT category rules (BR-S … BR-O, BR-B) ask of a UBL document,
/// one XPath expression each, so every rule reads like its `test=`.
extension RuleNode {
    /// `normalize-space(cbc:ID)`: a `cac:TaxCategory`'s or `cac:ClassifiedTaxCategory`'s code.
    var ublVATCategoryCode: String { normalized("cbc:ID") }

    /// `cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'`: the category (or party tax scheme) is VAT's.
    var ublHasVATTaxScheme: Bool {
        any("cac:TaxScheme") { Self.isNormalizedUpperCaseVAT($0.string("cbc:ID")) }
    }

    /// `[normalize-space(cbc:ID) = code][cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT']`.
    func ublIsVATCategory(_ code: String) -> Bool { ublVATCategoryCode == code && ublHasVATTaxScheme }


    /// `count(path[cac:TaxScheme/…='VAT']/cbc:ID[normalize-space(.) = code])`: how many codes equal to `code`
    /// the VAT categories `path` selects have.
    func ublVATCategoryCodeCount(_ path: String, _ code: String) -> Int {
        var count = 0
        forEach(path) { category in
            guard category.ublHasVATTaxScheme else { return }
            category.forEach("cbc:ID") { if Self.normalizeSpace($0.text) == code { count += 1 } }
        }
        return count
    }

    /// `exists(path[cac:TaxScheme/…='VAT']/cbc:ID[normalize-space(.) = code])`: `ublVATCategoryCodeCount` is not 0.
    /// A path from the document (`//…`) is read once per document for every code (the VAT rules on
    /// the document ask it for each category).
    func ublHasVATCategoryCode(_ path: String, _ code: String) -> Bool {
        guard path.hasPrefix("//") else {
            // The code first: most categories have another, and the scheme costs more to read.
            return any(path) { $0.any("cbc:ID") { Self.normalizeSpace($0.text) == code } && $0.ublHasVATTaxScheme }
        }
        let codes = document.counts(path) {
            var codes: [String: Int] = [:]
            forEach(path) { category in
                guard category.ublHasVATTaxScheme else { return }
                category.forEach("cbc:ID") { codes[Self.normalizeSpace($0.text), default: 0] += 1 }
            }
            return codes
        }
        return codes[code] != nil
    }

    /// `path[cbc:ChargeIndicator = charge]/cac:TaxCategory`: the categories of the allowances (`false`) or charges (`true`) `path` selects.
    func ublAllowanceChargeCategories(_ charge: Bool, in path: String = "//cac:AllowanceCharge") -> [RuleNode] {
        all(path).filter { $0.chargeIndicator(is: charge) }.flatMap { $0.all("cac:TaxCategory") }
    }

    /// `//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID` (BT-31/BT-32), only VAT's
    /// (`[cac:TaxScheme/…='VAT']`) when `vatOnly`.
    func ublSellerHasTaxIdentifier(vatOnly: Bool) -> Bool {
        any("//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme") { (!vatOnly || $0.ublHasVATTaxScheme) && $0.exists("cbc:CompanyID") }
    }

    /// `//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme/…='VAT']/cbc:CompanyID` (BT-63).
    var ublTaxRepresentativeHasVATIdentifier: Bool { ublHasVATIdentifier("//cac:TaxRepresentativeParty") }

    /// `//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/…='VAT']/cbc:CompanyID` (BT-48).
    var ublBuyerHasVATIdentifier: Bool { ublHasVATIdentifier("//cac:AccountingCustomerParty/cac:Party") }

    /// `//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID` (BT-47).
    var ublBuyerHasLegalIdentifier: Bool { exists("//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID") }

    /// Whether any text `paths` select equals `value` (`cac:AllowanceCharge/cac:TaxCategory/cbc:ID = 'B' or …`).
    func ublAnyText(_ paths: String..., is value: String) -> Bool {
        paths.contains { anyText($0, is: value) }
    }

    /// `path[normalize-space(cbc:ID) = code][cac:TaxScheme/…='VAT']` selects something (`vatOnly`; else without the scheme test).
    /// A path from the document (`//…`) with `vatOnly` is read once per document for every code.
    func ublHasVATCategory(_ path: String, _ code: String, vatOnly: Bool = true) -> Bool {
        guard vatOnly, path.hasPrefix("//") else {
            return any(path) { vatOnly ? $0.ublIsVATCategory(code) : $0.ublVATCategoryCode == code }
        }
        // Keyed apart from `ublHasVATCategoryCode`'s counts of the same path, which read every ID.
        let codes = document.counts(path, variant: Self.ublFirstCodes) {
            var codes: [String: Int] = [:]
            forEach(path) { category in
                guard category.ublHasVATTaxScheme else { return }
                codes[category.ublVATCategoryCode, default: 0] += 1
            }
            return codes
        }
        return codes[code] != nil
    }

    /// `ublHasVATCategory`'s variant of a path's counts in `RuleDocument.counts` (the first cbc:ID of each category).
    private static let ublFirstCodes = 1

    /// `path[cbc:ChargeIndicator = charge]/cac:TaxCategory[normalize-space(cbc:ID) = code][cac:TaxScheme/…='VAT']` selects something.
    func ublHasAllowanceChargeCategory(_ charge: Bool, _ code: String, in path: String = "//cac:AllowanceCharge") -> Bool {
        ublAllowanceChargeCategories(charge, in: path).contains { $0.ublIsVATCategory(code) }
    }

    /// The Seller's tax identifier (BT-31/BT-32, only VAT's when `vatOnly`) or the Seller tax representative's VAT identifier (BT-63).
    func ublSellerOrRepresentativeHasIdentifier(vatOnly: Bool) -> Bool {
        ublSellerHasTaxIdentifier(vatOnly: vatOnly) || ublTaxRepresentativeHasVATIdentifier
    }

    /// BR-AE-01, BR-E-01, BR-G-01, BR-IC-01, BR-O-01, BR-Z-01 on the document: where any VAT category
    /// (`//cac:TaxCategory`, `//cac:ClassifiedTaxCategory`) has code `code`, the VAT breakdown has exactly one.
    func ublHasOneBreakdownWhereUsed(_ code: String) -> Bool {
        let used = ublHasVATCategoryCode("//cac:TaxCategory", code) || ublHasVATCategoryCode("//cac:ClassifiedTaxCategory", code)
        return !used || ublVATCategoryCodeCount("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", code) == 1
    }

    /// The sum BR-xx-08 compares a VAT breakdown's taxable amount with, from the document root: the net
    /// amounts of the `lines` (`cac:InvoiceLine` or `cac:CreditNoteLine`) with an item category `code`,
    /// plus the document level charges, minus the allowances, of category `code`; all at `rate` when given.
    func ublCategoryBasis(_ code: String, lines: String, rate: XPathDecimal.Comparand? = nil) -> XPathDecimal.Sum {
        // One exact sum of every term (a Decimal addition per line costs thousands of instructions).
        var basis = XPathDecimal.Sum()
        root.forEach(lines) { line in
            if line.ublCategories("cac:Item/cac:ClassifiedTaxCategory", have: code, rate: rate) { line.add("cbc:LineExtensionAmount", to: &basis) }
        }
        root.forEach("cac:AllowanceCharge") { allowanceCharge in
            guard allowanceCharge.ublCategories("cac:TaxCategory", have: code, rate: rate) else { return }
            if allowanceCharge.chargeIndicator(is: true) { allowanceCharge.add("cbc:Amount", to: &basis) }
            if allowanceCharge.chargeIndicator(is: false) { allowanceCharge.add("cbc:Amount", to: &basis, negated: true) }
        }
        return basis
    }

    /// BR-AE-08, BR-E-08, BR-G-08, BR-IC-08, BR-O-08, BR-Z-08 on a breakdown's category: the taxable
    /// amount equals `ublCategoryBasis` for invoice lines (when there are) or credit note lines (when there are).
    func ublTaxableAmountEqualsBasis(_ code: String) -> Bool {
        guard let taxable = decimal("../cbc:TaxableAmount") else { return false }
        return Self.ublLineKinds.contains { exists($0.anywhere) && taxable == ublCategoryBasis(code, lines: $0.lines).value }
    }

    /// BR-S-08, BR-AF-08, BR-AG-08 on a breakdown's category: for its rate (if any), the taxable amount is
    /// within one of `ublCategoryBasis` at that rate. `requiringUse` (BR-S-08): only when a line, allowance or
    /// charge of that category and rate exists; otherwise when there are invoice (or credit note) lines at all.
    /// The artefact subtracts and adds the 1 in xs:double, then casts back to xs:decimal.
    func ublTaxableAmountNearBasis(_ code: String, requiringUse: Bool) -> Bool {
        guard let rate = XPathDecimal.Comparand(string("cbc:Percent")) else { return true }
        let taxable = vatNumbers("../cbc:TaxableAmount").first
        return Self.ublLineKinds.contains { kind in
            let used = requiringUse
                ? any(kind.anywhere) { $0.ublCategories("cac:Item/cac:ClassifiedTaxCategory", have: code, rate: rate) }
                    || any("//cac:AllowanceCharge") { $0.ublCategories("cac:TaxCategory", have: code, rate: rate) }
                : exists(kind.anywhere)
            guard used, let taxable else { return false }
            let basis = ublCategoryBasis(code, lines: kind.lines, rate: rate)
            guard let lower = Self.vatOrder(of: taxable - 1, against: basis), let upper = Self.vatOrder(of: taxable + 1, against: basis) else {
                return false
            }
            return lower < 0 && upper > 0
        }
    }

    /// BR-S-09, BR-AF-09, BR-AG-09 on a breakdown's category: the tax amount is within one of the
    /// taxable amount times the rate, rounded to cents.
    var ublTaxAmountMatchesRate: Bool {
        if let within = XPathDecimal.isWithinOne(amount: string("../cbc:TaxAmount"), of: string("../cbc:TaxableAmount"), atRate: string("cbc:Percent")) {
            return within
        }
        guard let tax = decimal("../cbc:TaxAmount"), let taxable = decimal("../cbc:TaxableAmount"), let percent = decimal("cbc:Percent") else {
            return false
        }
        let expected = XPathDecimal.cents(abs(taxable) * XPathDecimal.hundredth(percent))
        return abs(tax) - 1 < expected && abs(tax) + 1 > expected
    }

    /// `categories[…/normalize-space(cbc:ID) = code][…/xs:decimal(cbc:Percent) = rate]` on one line, allowance
    /// or charge: one of its categories has the code and one (not necessarily the same) the rate, if given.
    private func ublCategories(_ categories: String, have code: String, rate: XPathDecimal.Comparand?) -> Bool {
        any(categories) { $0.ublVATCategoryCode == code } && (rate.map { rate in any(categories) { rate.isValue(of: $0.string("cbc:Percent")) } } ?? true)
    }

    private func ublHasVATIdentifier(_ party: String) -> Bool {
        any(party) { $0.any("cac:PartyTaxScheme") { $0.ublHasVATTaxScheme && $0.exists("cbc:CompanyID") } }
    }

    /// The two kinds of line, each with the path to every line of that kind (literals: a path is
    /// found by its literal's address, where a path built at each call is hashed).
    private static let ublLineKinds = [(lines: "cac:InvoiceLine", anywhere: "//cac:InvoiceLine"),
                                       (lines: "cac:CreditNoteLine", anywhere: "//cac:CreditNoteLine")]

    // MARK: XPath casts both syntaxes' VAT category rules make of untyped values

    /// The texts `path` selects, cast to xs:double as XPath casts an untyped value compared with a number
    /// (`cbc:Percent > 0`, `ram:CalculatedAmount = 0`); texts that are no number are left out.
    func vatNumbers(_ path: String) -> [Double] { strings(path).compactMap(Self.vatDouble) }


    /// xs:double of an untyped text: XPath's lexical forms (`12.5`, `-1E3`, `INF`, `NaN`), nil otherwise.
    static func vatDouble(_ text: String) -> Double? {
        let trimmed = XPathWhitespace.trimmed(text)
        switch trimmed {
        case "INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default:
            guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
            return Double(trimmed)
        }
    }

    /// xs:decimal of an xs:double, digit for digit of its binary value (as Saxon casts: 99.1 is
    /// 99.0999999999999943…); nil for infinities and NaN, which the cast rejects.
    static func vatDecimal(exactly value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        return Decimal(string: String(format: "%.36g", value), locale: posix)
    }

    /// How `vatDecimal(exactly: value)` compares with the sum's value: -1 below, 0 equal, 1 above; nil when
    /// the cast fails. Without printing `value` when it is not the double nearest to the sum: then
    /// a half-ulp at least separates them, which the cast's 36 digits cannot bridge, so the doubles'
    /// order is the decimals' (`Double(String)` rounds correctly, and below 1e30 the cast succeeds).
    static func vatOrder(of value: Double, against sum: XPathDecimal.Sum) -> Int? {
        if value.isFinite, abs(value) < 1e30, let nearest = sum.double ?? Double(sum.value.description), nearest.isFinite, value != nearest {
            return value < nearest ? -1 : 1
        }
        guard let cast = vatDecimal(exactly: value) else { return nil }
        let decimal = sum.value
        return cast < decimal ? -1 : cast == decimal ? 0 : 1
    }

    /// The locale `vatDecimal(exactly:)` reads numbers in, made once.
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// `value` as an xs:double, as XPath promotes an xs:decimal compared or computed with one.
    static func vatDouble(promoting value: Decimal) -> Double { Double(value.description) ?? .nan }

    /// XPath `round` of an xs:double: the nearest integer, halves towards positive infinity.
    static func vatRound(_ value: Double) -> Double {
        let floor = value.rounded(.down)
        return value - floor >= 0.5 ? floor + 1 : floor
    }
}
