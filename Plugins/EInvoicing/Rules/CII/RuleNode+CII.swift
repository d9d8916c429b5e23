import Foundation

/// What the CEN/TC 434 CII artefact's assertions ask of a node beyond plain paths: attribute steps,
/// counts, general comparisons, typed indicators and the `xs:double` arithmetic XPath applies to
/// untyped values (`sum(...)`, `. * 100`, `x >= 0`).
extension RuleNode {
    /// XPath `normalize-space(path/@name)`: the first such attribute, normalized; empty when none.
    func normalizedAttribute(_ path: String) -> String { Self.normalizeSpace(attributes(path).first ?? "") }

    /// XPath general comparison `path = 'a'` (or `('a', 'b')`): whether any node selected has one of `values`.
    func some(_ path: String, is values: String...) -> Bool { anyText(path) { values.contains($0) } }

    /// XPath `string-length(substring-after(path, '.'))`: the decimals written in the first node selected.
    func decimalPlaces(_ path: String) -> Int { XPathDecimal.decimalPlaces(string(path)) }

    /// The artefact's alternatives for an optional operand (`xs:decimal(x[1])` where `x` is there,
    /// `not(x)` where not): the first node's decimal, 0 when there is none, nil when it is no decimal.
    func decimalOrZero(_ path: String) -> Decimal? { exists(path) ? decimal(path) : 0 }

    /// `[upper-case(ram:TypeCode) = 'VAT']`: whether this tax's type code is VAT.
    var isVAT: Bool { Self.isUpperCaseVAT(string("ram:TypeCode")) }

    /// `ram:ChargeIndicator/udt:Indicator = true()` (or `false()`) on an allowance or charge: the
    /// indicator's text cast to `xs:boolean` (`true`/`1`, `false`/`0`) compared with `value`.
    func indicates(_ value: Bool) -> Bool {
        anyText("ram:ChargeIndicator/udt:Indicator") { XPathBoolean.parse($0) == value }
    }

    /// The `ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']` under this party: its VAT identifiers.
    var vatRegistrations: [RuleNode] { all("ram:SpecifiedTaxRegistration/ram:ID").filter { $0.attribute("schemeID") == "VA" } }

    /// The `path/udt:DateTimeString[@format = '102']` nodes: dates written as YYYYMMDD.
    func dates102(_ path: String) -> [String] {
        all("\(path)/udt:DateTimeString").filter { $0.attribute("format") == "102" }.map(\.text)
    }

    /// The untyped values of the nodes selected as XPath casts them to `xs:double` in arithmetic
    /// and numeric comparisons; values that are no number are left out.
    func doubles(_ path: String) -> [Double] { strings(path).compactMap(XPathDouble.parse) }

    /// XPath `sum(path)` over untyped nodes: an `xs:double` sum.
    func doubleSum(_ path: String) -> Double { doubles(path).reduce(0, +) }

    /// The artefacts' `round(x * 10 * 10) div 100` on an `xs:double`.
    static func cents(_ value: Double) -> Double { round(value * 10 * 10) / 100 }

    /// XPath `round` on an `xs:double`: halves go towards positive infinity.
    static func round(_ value: Double) -> Double { (value + 0.5).rounded(.down) }

    /// `xs:decimal` of an `xs:double` as Saxon casts it (through its shortest decimal form).
    static func decimal(converting value: Double) -> Decimal? { value.isFinite ? Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) : nil }

    /// BR-CO-11, BR-CO-12 on a monetary summation: the stated sum `path` equals the rounded sum of
    /// the first amounts of the document level charges (`charges`) or allowances, or neither is there.
    func statesDocumentTotal(_ path: String, of charges: Bool) -> Bool {
        let items = all("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge")
            .filter { $0.indicates(charges) }
        if items.isEmpty && !exists(path) { return true }
        let sum = items.compactMap { $0.first("ram:ActualAmount").flatMap { XPathDouble.parse($0.text) } }.reduce(0, +)
        return doubles(path).contains(Self.cents(sum))
    }

    /// BR-DEC-13, BR-DEC-15: `. = round(. * 100) div 100` on this amount, in `xs:double`.
    var hasAtMostTwoDecimals: Bool {
        guard let value = XPathDouble.parse(text) else { return false }
        return value == Self.round(value * 100) / 100
    }

    /// BR-62, BR-63: the first electronic address of `party` has a scheme, or the party has none.
    func electronicAddressHasScheme(_ party: String) -> Bool {
        guard exists("\(party)/ram:URIUniversalCommunication") else { return true }
        let first = all(party).compactMap { $0.first("ram:URIUniversalCommunication") }
        return Self.normalizeSpace(first.flatMap { $0.attributes("ram:URIID/@schemeID") }.first ?? "") != ""
    }

    /// BR-29, BR-30 on a billing period: its end date is not before its start date, compared as the
    /// artefact compares the YYYYMMDD strings, or one of the two is missing.
    var billingPeriodEndsAfterStart: Bool {
        let ends = dates102("ram:EndDateTime"), starts = dates102("ram:StartDateTime")
        return ends.contains { end in starts.contains { end >= $0 } } || !exists("ram:EndDateTime") || !exists("ram:StartDateTime")
    }

    /// BR-CO-09 on a VAT identifier: its first two characters are an ISO 3166-1 alpha-2 code (or `EL`, `XI`, `1A`).
    var hasCountryPrefix: Bool {
        Self.countryPrefixCodes.contains(String(String.UnicodeScalarView(text.unicodeScalars.prefix(2))))
    }

    /// The codes of `countryPrefixes`: " XX " is in the list exactly when XX is one of them.
    private static let countryPrefixCodes = Set(countryPrefixes.split(separator: " ").map(String.init))

    /// The prefixes BR-CO-09 accepts, space separated, as the artefact lists them.
    static let countryPrefixes = " 1A AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BL BJ BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW "

    /// BR-CO-17 on a VAT breakdown: with a non-zero rate the tax amount is within 1 of the taxable
    /// amount times the rate (rounded to cents); with a zero or no rate, the tax amount rounds to 0.
    var breakdownTaxMatchesRate: Bool {
        let isVAT = Self.isNormalizedUpperCaseVAT(string("ram:TypeCode"))
        // Common amounts and a rate that does not round to 0: in integers (`XPathDecimal.isWithinOne`).
        if isVAT, let rateText = first("ram:RateApplicablePercent")?.text, XPathDecimal.roundsToZero(rateText) == false,
           let within = XPathDecimal.isWithinOne(amount: string("ram:CalculatedAmount"), of: string("ram:BasisAmount"),
                                                 atRate: rateText, inclusive: true) {
            return within
        }
        let rate = isVAT ? decimal("ram:RateApplicablePercent") : nil
        guard let calculated = decimal("ram:CalculatedAmount") else { return false }
        guard let rate, XPathDecimal.round(rate) != 0 else { return XPathDecimal.round(calculated) == 0 }
        guard let basis = decimal("ram:BasisAmount") else { return false }
        let expected = XPathDecimal.cents(abs(basis) * XPathDecimal.hundredth(rate))
        return abs(calculated) - 1 <= expected && abs(calculated) + 1 >= expected
    }
}
