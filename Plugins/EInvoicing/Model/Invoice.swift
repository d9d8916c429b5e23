import Foundation

/// The EN 16931 business terms of one invoice or credit note that its `InvoiceReceived` event carries,
/// read from UBL or CII (the rules judge the parsed document itself). Amounts are `Decimal`, parsed from the document's text, never binary floating point.
public struct Invoice: Sendable, Equatable {
    /// Which syntax the invoice was written in.
    public enum Syntax: String, Sendable { case ubl = "UBL", cii = "CII" }

    /// The syntax it was read from.
    public var syntax: Syntax
    /// BT-24, the specification identifier (the Factur-X profile for CII).
    public var specificationID: String?
    /// BT-1, the invoice number.
    public var number: String?
    /// BT-2, the issue date as written (`2017-11-13`).
    public var issueDate: String?
    /// BT-3, the type code (380 invoice, 381 credit note, ...).
    public var typeCode: String?
    /// BT-5, the invoice currency.
    public var currency: String?
    /// BT-9, the payment due date.
    public var dueDate: String?
    /// BT-10, the buyer reference: the service code Chorus Pro routes on.
    public var buyerReference: String?
    /// BT-13, the purchase order reference: the commitment (engagement) number in Chorus Pro.
    public var orderReference: String?
    /// BT-12, the contract reference.
    public var contractReference: String?
    /// BG-4, the seller.
    public var seller = Party()
    /// BG-7, the buyer.
    public var buyer = Party()
    /// BT-106, the sum of line net amounts.
    public var lineTotal: Decimal?
    /// BT-109, the total without VAT.
    public var taxExclusiveTotal: Decimal?
    /// BT-110 candidates: every VAT total with its currency (one per currency in a valid invoice).
    public var taxTotals: [Amount] = []
    /// BT-112, the total with VAT.
    public var taxInclusiveTotal: Decimal?
    /// BT-113, the amount already paid.
    public var prepaidAmount: Decimal?
    /// BT-115, the amount due for payment.
    public var amountDue: Decimal?
    /// How many lines (BG-25) the invoice has.
    public var lineCount = 0

    /// An empty invoice of the given syntax; the readers fill it.
    public init(syntax: Syntax) { self.syntax = syntax }

    /// BT-110 in the invoice currency: the VAT totals whose currency is the invoice's (or unstated).
    public var taxTotalsInInvoiceCurrency: [Decimal] {
        taxTotals.filter { $0.currency == nil || $0.currency == currency }.map(\.value)
    }

    /// Whether the type code is a credit note (381, 261, 262, 296, 308, 396, 420, 458, 532).
    public var isCreditNote: Bool {
        ["381", "261", "262", "296", "308", "396", "420", "458", "532"].contains(typeCode ?? "")
    }
}

/// A monetary amount with the currency its element states, if any.
public struct Amount: Sendable, Equatable {
    /// The amount.
    public var value: Decimal
    /// The `currencyID` attribute.
    public var currency: String?

    /// Creates an amount.
    public init(value: Decimal, currency: String?) {
        self.value = value
        self.currency = currency
    }
}

/// A seller or buyer (BG-4, BG-7).
public struct Party: Sendable, Equatable {
    /// BT-27 / BT-44, the name.
    public var name: String?
    /// BT-30 / BT-47, the legal registration identifier (SIREN or SIRET in France).
    public var legalID: String?
    /// The legal identifier's scheme (`0002` SIREN, `0009` SIRET), when stated.
    public var legalIDScheme: String?
    /// BT-29 / BT-46, other identifiers with their schemes (a SIRET often sits here).
    public var identifiers: [(id: String, scheme: String?)] = []
    /// BT-31 / BT-48, the VAT number.
    public var vatID: String?
    /// BT-40 / BT-55, the country code of the address.
    public var countryCode: String?

    /// An empty party.
    public init() {}

    /// The SIRET: 14 digits under a French scheme (0009, or 0002 as some senders write it), or
    /// without a scheme for a party in France.
    public var siret: String? { frenchIdentifier(length: 14) }

    /// The SIREN: 9 digits under a French scheme or without a scheme for a party in France, or
    /// else the first 9 digits of the SIRET.
    public var siren: String? { frenchIdentifier(length: 9) ?? siret.map { String($0.prefix(9)) } }

    private func frenchIdentifier(length: Int) -> String? {
        candidates.first {
            ($0.scheme == "0002" || $0.scheme == "0009" || ($0.scheme == nil && isFrench))
                && $0.id.count == length && $0.id.allSatisfy(\.isASCIIDigit)
        }?.id
    }

    /// Whether the address is in France: identifiers without a scheme are read as SIREN/SIRET only then.
    private var isFrench: Bool { countryCode == "FR" }

    private var candidates: [(id: String, scheme: String?)] {
        var all = identifiers
        if let legalID { all.insert((legalID, legalIDScheme), at: 0) }
        return all.map { (String($0.id.filter { !$0.isWhitespace }), $0.scheme) }
    }

    public static func == (lhs: Party, rhs: Party) -> Bool {
        lhs.name == rhs.name && lhs.legalID == rhs.legalID && lhs.legalIDScheme == rhs.legalIDScheme
            && lhs.identifiers.map(\.id) == rhs.identifiers.map(\.id) && lhs.identifiers.map(\.scheme) == rhs.identifiers.map(\.scheme)
            && lhs.vatID == rhs.vatID && lhs.countryCode == rhs.countryCode
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
