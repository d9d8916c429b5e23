import Foundation
import HubXML

/// The predicates the CEN/TC 434 UBL artefact repeats across its assertions, written once with the
/// XPath 2.0 semantics the artefact evaluates them with.
extension RuleNode {
    /// Whether this tax category (or party tax scheme) is VAT: the artefact's
    /// `cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'`, true when any of its tax schemes says so.
    var hasVATScheme: Bool {
        any("cac:TaxScheme") { Self.isNormalizedUpperCaseVAT($0.string("cbc:ID")) }
    }

    /// The nodes `path` selects whose tax scheme is VAT: `path[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']`.
    func vatCategories(_ path: String) -> [RuleNode] {
        all(path).filter(\.hasVATScheme)
    }

    /// `cbc:ChargeIndicator = true()` (or `false()`): any charge indicator whose text, cast to
    /// `xs:boolean` (`true`/`1`, `false`/`0`), is `value`; text that is no boolean never matches.
    func chargeIndicator(is value: Bool) -> Bool {
        any("cbc:ChargeIndicator") { XPathBoolean.parse($0.text) == value }
    }

    /// The artefact's decimals check `string-length(substring-after(path, '.')) <= 2` on the first
    /// node `path` selects (an absent node passes).
    func hasAtMostTwoDecimals(_ path: String) -> Bool {
        XPathDecimal.decimalPlaces(string(path)) <= 2
    }

    /// A general comparison of the nodes `path` selects with a number (`cac:Price/cbc:PriceAmount >= 0`):
    /// each text is cast to `xs:double`, true when any value satisfies `test`.
    func anyNumber(_ path: String, satisfies test: (Double) -> Bool) -> Bool {
        any(path) { XPathDouble.parse($0.text).map(test) ?? false }
    }

    /// The artefacts' period check (BR-29, BR-30): when both dates are present, the end date is
    /// not before the start date (`xs:date(cbc:EndDate) >= xs:date(cbc:StartDate)`).
    var periodEndsAfterStart: Bool {
        guard exists("cbc:StartDate"), exists("cbc:EndDate") else { return true }
        guard let start = XPathDate.parse(string("cbc:StartDate")), let end = XPathDate.parse(string("cbc:EndDate")) else { return false }
        return end >= start
    }

    /// How many distinct texts the nodes `path` selects hold: the artefact's
    /// `count(//x[not(preceding::x/. = .)])`.
    func distinctCount(_ path: String) -> Int {
        Set(strings(path)).count
    }

    /// BR-CO-17 on a VAT breakdown: the tax amount is the taxable amount times the VAT rate, give or
    /// take one unit, or zero where the rate rounds to zero or is absent (the artefact's test, with
    /// `round` half towards positive infinity).
    var vatAmountMatchesRate: Bool {
        let rateText = vatCategories("cac:TaxCategory").first(where: { $0.exists("cbc:Percent") })?.string("cbc:Percent")
        // Common amounts and a rate that does not round to 0: in integers (`XPathDecimal.isWithinOne`).
        if let rateText, XPathDecimal.roundsToZero(rateText) == false,
           let within = XPathDecimal.isWithinOne(amount: string("cbc:TaxAmount"), of: string("cbc:TaxableAmount"), atRate: rateText) {
            return within
        }
        let rate = rateText.flatMap(XPathDecimal.parse)
        guard let taxAmount = decimal("cbc:TaxAmount") else { return false }
        guard let rate else { return XPathDecimal.round(taxAmount) == 0 }
        if XPathDecimal.round(rate) == 0 { return XPathDecimal.round(taxAmount) == 0 }
        guard let taxable = decimal("cbc:TaxableAmount") else { return false }
        let expected = XPathDecimal.cents(abs(taxable) * XPathDecimal.hundredth(rate))
        return abs(taxAmount) - 1 < expected && abs(taxAmount) + 1 > expected
    }

    /// BR-CO-09 on a VAT party tax scheme: the company identifier's first two characters are among
    /// the artefact's ISO 3166-1 alpha-2 codes (and `EL`, `XI`, `1A`), tested as it tests them, with
    /// `contains` on the space-separated list (so an absent identifier passes).
    var hasCountryPrefixedCompanyID: Bool {
        let prefix = String(String.UnicodeScalarView(string("cbc:CompanyID").unicodeScalars.prefix(2)))
        return prefix.isEmpty || Self.vatCountryCodeSubstrings.contains(prefix)
    }

    /// Every text of one or two characters `vatCountryCodes` contains, so that the artefact's
    /// substring test is one set lookup.
    private static let vatCountryCodeSubstrings: Set<String> = {
        let scalars = Array(vatCountryCodes.unicodeScalars)
        return Set(scalars.indices.flatMap { start in
            [1, 2].filter { start + $0 <= scalars.count }.map { String(String.UnicodeScalarView(scalars[start..<start + $0])) }
        })
    }()

    /// The country prefixes BR-CO-09 accepts, as the artefact lists them.
    static let vatCountryCodes = " " + """
        1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
        BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK
        DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ
        GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI
        KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
        MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK
        PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS
        ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
        VG VI VN VU WF WS XI YE YT ZA ZM ZW
        """.replacingOccurrences(of: "\n", with: " ") + " "

    /// The UBL-DT-01 context: an element named `…Amount`, but no `…PriceAmount` and nothing under a
    /// `cac:Price` with an allowance (the artefact's `//*[ends-with(name(), 'Amount') and
    /// not(ends-with(name(),'PriceAmount')) and not(ancestor::cac:Price/cac:AllowanceCharge)]`).
    var isUBLAmount: Bool {
        guard nameEnds(with: .amount), !nameEnds(with: .priceAmount) else { return false }
        var ancestor = parent
        while let node = ancestor {
            if node.is("cac:Price"), node.exists("cac:AllowanceCharge") { return false }
            ancestor = node.parent
        }
        return true
    }

    /// The party tax schemes of the party at `partyPath` whose scheme id, upper-cased (not
    /// normalized, as UBL-SR-12, 13 and 18 test it), passes `scheme`.
    func partyTaxSchemes(_ partyPath: String, where scheme: (String) -> Bool) -> [RuleNode] {
        all("\(partyPath)/cac:PartyTaxScheme").filter { $0.any("cac:TaxScheme") { scheme($0.string("cbc:ID").uppercased()) } }
    }

    /// UBL-SR-19 to 21 on the Payee: `(cac:PartyName/cbc:Name) != (../cac:AccountingSupplierParty/
    /// cac:Party/cac:PartyLegalEntity/cbc:RegistrationName)`, an existential comparison, so false
    /// when either name is absent.
    var payeeNameDiffersFromSeller: Bool {
        let sellerNames = strings("../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName")
        return anyText("cac:PartyName/cbc:Name") { name in sellerNames.contains { $0 != name } }
    }

    /// XPath `upper-case(@name)` of this node: empty when the attribute is absent.
    func upperCased(attribute name: String) -> String {
        (attribute(name) ?? "").uppercased()
    }
}

extension [RuleNode] {
    /// XPath `sum(nodes/xs:decimal(path))`: the decimals at `path` under each node, added (0 when none).
    func sum(_ path: String) -> Decimal {
        var sum = XPathDecimal.Sum()
        for node in self {
            if let first = node.first(path) { sum.add(first.text) }
        }
        return sum.value
    }
}
