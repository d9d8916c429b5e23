import Foundation

/// The endings of local names rules test (XPath `ends-with(local-name(), 'Amount')`): `RuleDocument`
/// works out once per distinct name of a document which of them the name has, as bits of a mask, so
/// that asking it of an element (contexts such as CII's `*[ends-with(local-name(), 'Amount')]` ask
/// it of every element) reads one bit.
enum NameSuffix: Int, CaseIterable {
    case amount, priceAmount, binaryObject, documentContextParameter, id, referencedDocument, quantity, tradeTax

    /// The ending, compared code unit by code unit.
    var text: StaticString {
        switch self {
        case .amount: "Amount"
        case .priceAmount: "PriceAmount"
        case .binaryObject: "BinaryObject"
        case .documentContextParameter: "DocumentContextParameter"
        case .id: "ID"
        case .referencedDocument: "ReferencedDocument"
        case .quantity: "Quantity"
        case .tradeTax: "TradeTax"
        }
    }

    /// This ending's bit in a mask.
    var bit: UInt16 { 1 << UInt16(rawValue) }

    /// The mask of the endings `name` has.
    static func mask(of name: String) -> UInt16 {
        var name = name
        return name.withUTF8 { name in
            guard let last = name.last else { return 0 }
            var mask: UInt16 = 0
            var suffix = 0
            while let ending = NameSuffix(rawValue: suffix) {
                let text = ending.text, count = text.utf8CodeUnitCount
                // The last byte first: most names are ruled out by it.
                if name.count >= count && last == text.utf8Start[count - 1]
                    && memcmp(name.baseAddress! + (name.count - count), text.utf8Start, count) == 0 { mask |= ending.bit }
                suffix += 1
            }
            return mask
        }
    }
}
