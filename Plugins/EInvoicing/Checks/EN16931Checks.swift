import Foundation

/// The EN 16931 business rules the hub checks: presence (BR-01 to BR-16), arithmetic (BR-CO-10 to
/// BR-CO-17, with the standard's rounding to two decimals, as the CEN/TC 434 validation artefacts
/// compute it) and the standard-rated VAT breakdown (BR-S-08).
public enum EN16931Checks {
    /// Every rule `invoice` breaks, in rule order.
    public static func failures(of invoice: Invoice) -> [RuleFailure] {
        presenceFailures(of: invoice) + arithmeticFailures(of: invoice) + standardRateFailures(of: invoice)
    }

    /// BR-01 to BR-16: the business terms every invoice must have.
    public static func presenceFailures(of invoice: Invoice) -> [RuleFailure] {
        let profile = InvoiceProfile(specificationID: invoice.specificationID)
        var failures: [RuleFailure] = []
        func require(_ present: Bool, _ rule: String, _ message: String) {
            if !present { failures.append(RuleFailure(rule, message)) }
        }
        require(invoice.specificationID != nil, "BR-01", "the specification identifier (BT-24) is missing: the sender must state which specification the invoice follows")
        require(invoice.number != nil, "BR-02", "the invoice number (BT-1) is missing")
        require(invoice.issueDate != nil, "BR-03", "the invoice issue date (BT-2) is missing")
        require(invoice.typeCode != nil, "BR-04", "the invoice type code (BT-3) is missing")
        require(invoice.currency != nil, "BR-05", "the invoice currency code (BT-5) is missing")
        require(invoice.seller.name != nil, "BR-06", "the seller name (BT-27) is missing")
        require(invoice.buyer.name != nil, "BR-07", "the buyer name (BT-44) is missing")
        if profile.hasAddressesAndLineTotal {
            require(invoice.seller.hasAddress, "BR-08", "the seller postal address (BG-5) is missing")
            require(!invoice.seller.hasAddress || invoice.seller.countryCode != nil, "BR-09", "the seller postal address has no country code (BT-40)")
            require(invoice.buyer.hasAddress, "BR-10", "the buyer postal address (BG-8) is missing")
            require(!invoice.buyer.hasAddress || invoice.buyer.countryCode != nil, "BR-11", "the buyer postal address has no country code (BT-55)")
            require(invoice.lineTotal != nil, "BR-12", "the sum of invoice line net amounts (BT-106) is missing")
        }
        require(invoice.taxExclusiveTotal != nil, "BR-13", "the invoice total amount without VAT (BT-109) is missing")
        require(invoice.taxInclusiveTotal != nil, "BR-14", "the invoice total amount with VAT (BT-112) is missing")
        require(invoice.amountDue != nil, "BR-15", "the amount due for payment (BT-115) is missing")
        if profile.hasLines {
            require(!invoice.lines.isEmpty, "BR-16", "the invoice has no line (BG-25); at least one is required")
        }
        return failures
    }

    /// BR-CO-10 to BR-CO-17: the totals agree with their parts.
    public static func arithmeticFailures(of invoice: Invoice) -> [RuleFailure] {
        let profile = InvoiceProfile(specificationID: invoice.specificationID)
        let round = { (value: Decimal) in DecimalText.rounded(value) }
        let show = DecimalText.text
        var failures: [RuleFailure] = []
        let lineSum = round(invoice.lines.compactMap(\.netAmount).reduce(0, +))
        let allowances = invoice.allowanceCharges.filter { !$0.isCharge }.map(\.amount).reduce(0, +)
        let charges = invoice.allowanceCharges.filter(\.isCharge).map(\.amount).reduce(0, +)

        if profile.hasLines, let lineTotal = invoice.lineTotal, lineTotal != lineSum {
            failures.append(RuleFailure("BR-CO-10", "the sum of line net amounts (BT-106) is \(show(lineTotal)) but the lines add up to \(show(lineSum))"))
        }
        if let total = invoice.allowanceTotal, total != round(allowances) {
            failures.append(RuleFailure("BR-CO-11", "the sum of document-level allowances (BT-107) is \(show(total)) but the allowances add up to \(show(round(allowances)))"))
        }
        if let total = invoice.chargeTotal, total != round(charges) {
            failures.append(RuleFailure("BR-CO-12", "the sum of document-level charges (BT-108) is \(show(total)) but the charges add up to \(show(round(charges)))"))
        }
        // Without lines BR-16 already says what is wrong; BR-CO-13 would only repeat it in figures.
        if profile.hasLines, !invoice.lines.isEmpty, let exclusive = invoice.taxExclusiveTotal {
            let expected = round(lineSum + round(charges) - round(allowances))
            if exclusive != expected {
                failures.append(RuleFailure("BR-CO-13", "the total without VAT (BT-109) is \(show(exclusive)) but lines \(show(lineSum)) - allowances \(show(round(allowances))) + charges \(show(round(charges))) = \(show(expected))"))
            }
        }
        let taxInCurrency = invoice.taxTotalsInInvoiceCurrency
        if taxInCurrency.count == 1, !invoice.vatBreakdown.isEmpty {
            let breakdownSum = round(invoice.vatBreakdown.compactMap(\.taxAmount).reduce(0, +))
            if taxInCurrency[0] != breakdownSum {
                failures.append(RuleFailure("BR-CO-14", "the total VAT amount (BT-110) is \(show(taxInCurrency[0])) but the VAT breakdown adds up to \(show(breakdownSum))"))
            }
        }
        if let exclusive = invoice.taxExclusiveTotal, let inclusive = invoice.taxInclusiveTotal {
            if taxInCurrency.count != 1 {
                failures.append(RuleFailure("BR-CO-15", "the invoice must state exactly one total VAT amount (BT-110) in its currency \(invoice.currency ?? "(none)"), it states \(taxInCurrency.count)"))
            } else if inclusive != round(exclusive + taxInCurrency[0]) {
                failures.append(RuleFailure("BR-CO-15", "the total with VAT (BT-112) is \(show(inclusive)) but total without VAT \(show(exclusive)) + VAT \(show(taxInCurrency[0])) = \(show(round(exclusive + taxInCurrency[0])))"))
            }
        }
        if let inclusive = invoice.taxInclusiveTotal, let due = invoice.amountDue {
            let expected = round(inclusive - (invoice.prepaidAmount ?? 0) + (invoice.roundingAmount ?? 0))
            if due != expected {
                failures.append(RuleFailure("BR-CO-16", "the amount due (BT-115) is \(show(due)) but total with VAT \(show(inclusive)) - paid \(show(invoice.prepaidAmount ?? 0)) + rounding \(show(invoice.roundingAmount ?? 0)) = \(show(expected))"))
            }
        }
        for breakdown in invoice.vatBreakdown {
            guard let tax = breakdown.taxAmount, let taxable = breakdown.taxableAmount else { continue }
            let rate = breakdown.rate ?? 0
            // As the CEN/TC 434 artefacts: a zero rate needs a VAT amount that rounds to zero; otherwise
            // the stated amount must lie within one unit of taxable x rate / 100 rounded to two decimals.
            let expected = round(abs(taxable) * rate / 100)
            let holds = rate == 0 ? DecimalText.rounded(tax, scale: 0) == 0 : abs(abs(tax) - expected) < 1
            if !holds {
                failures.append(RuleFailure("BR-CO-17", "the VAT amount \(show(tax)) of category \(breakdown.category ?? "?") at \(rate)% does not match taxable amount \(show(taxable)) x \(rate)% = \(show(expected))"))
            }
        }
        return failures
    }

    /// BR-S-08: for each standard-rated (`S`) VAT rate, the breakdown's taxable amount equals the
    /// lines at that rate plus the charges minus the allowances at that rate.
    public static func standardRateFailures(of invoice: Invoice) -> [RuleFailure] {
        guard InvoiceProfile(specificationID: invoice.specificationID).hasLines else { return [] }
        var failures: [RuleFailure] = []
        for breakdown in invoice.vatBreakdown where breakdown.category == "S" {
            guard let taxable = breakdown.taxableAmount else { continue }
            let rate = breakdown.rate ?? 0
            let lines = invoice.lines.filter { $0.category == "S" && ($0.rate ?? 0) == rate }.compactMap(\.netAmount).reduce(0, +)
            let adjustments = invoice.allowanceCharges.filter { $0.category == "S" && ($0.rate ?? 0) == rate }
                .map { $0.isCharge ? $0.amount : -$0.amount }.reduce(0, +)
            let expected = DecimalText.rounded(lines + adjustments)
            if taxable != expected {
                failures.append(RuleFailure("BR-S-08", "the standard-rated VAT breakdown at \(rate)% has taxable amount \(DecimalText.text(taxable)) but the lines, charges and allowances at that rate add up to \(DecimalText.text(expected))"))
            }
        }
        return failures
    }
}
