import HubCore

/// How an event's stored attribute text becomes what a read gives back.
///
/// Reading an event parses the text into `Value`s, and the event renders them again
/// (`Event.attributesJSON`): text the hub wrote itself comes back as it was, anything else (a
/// `NaN` stored as null, text from an older hub) as its values render now. A listing that only
/// writes the text out may skip both steps when the result is known to be the same: when the
/// template reads back to itself, and each number taken out of it is written the way
/// `JSONOutput.appendNumber` writes the Double it reads as (`canonicalText`).
package enum StoredAttributes {
    /// The values of stored attribute text (a JSON object of `Value.storedForm`s); a stored form
    /// that is not one of a typed value (a NaN written as null) is kept as the JSON it is.
    package static func values(of text: String, event id: String) throws -> [String: Value] {
        guard let members = (try? JSONValue(parsing: text))?.objectValue else {
            throw StoreError(.invalidRow, "reading event \(id): its stored attributes are not a JSON object: \(text.prefix(200))")
        }
        return members.mapValues { Value(storedForm: $0) ?? .json($0) }
    }

    /// The text a template and its numbers were split from (`AttributeShape.join`); an error
    /// naming the event when they do not fit together.
    static func joined(template: String, values: String, event id: String) throws -> String {
        guard let text = AttributeShape.join(template: template, values: values) else {
            throw StoreError(.invalidRow, "reading event \(id): its attribute values \(values.prefix(200).debugDescription) do not fit their template")
        }
        return text
    }

    /// Whether `template`, its holes filled with canonical numbers, reads back through `Value`s to
    /// the same text. Checked with every hole a `0`: what a value turns into, and the order the
    /// members are written in, depend on the template only (a number stays a number), so the
    /// answer holds for any canonical numbers.
    static func isCanonical(template: String) -> Bool {
        let holes = template.utf8.reduce(0) { $0 + ($1 == AttributeShape.hole ? 1 : 0) }
        let zeros = Array(repeating: "0", count: holes).joined(separator: String(UnicodeScalar(AttributeShape.hole)))
        guard let text = AttributeShape.join(template: template, values: zeros),
              let values = try? values(of: text, event: "") else { return false }
        return Event.render(values) == text
    }

    /// The attribute text of a stored event whose template is canonical, without reading it into
    /// values: the template joined with `values` (as `AttributeShape.join` joins them) when every one
    /// is a canonical number; nil when one is not (or they do not fit the template), and the text
    /// must go through `Value`s.
    static func canonicalText(template: String, values: String) -> String? {
        var values = values
        return values.withUTF8 { canonicalText(template: template, values: $0) }
    }

    /// `canonicalText(template:values:)` with the values' UTF-8 as they lie in a row (no copy).
    static func canonicalText(template: String, values: UnsafeBufferPointer<UInt8>) -> String? {
        var template = template
        return template.withUTF8 { template -> String? in
            guard fitsCanonically(template: template, values: values) else { return nil }
            return String(unsafeUninitializedCapacity: template.count + values.count) { text in
                var written = 0
                join(template: template, values: values) { piece in
                    UnsafeMutableRawPointer(text.baseAddress! + written).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
                    written += piece.count
                }
                return written
            }
        }
    }

    /// Appends `canonicalText(template:values:)` to `out` and returns true; appends nothing and
    /// returns false when that is nil.
    static func writeCanonicalText(template: String, values: UnsafeBufferPointer<UInt8>, to out: inout JSONOutput) -> Bool {
        var template = template
        return template.withUTF8 { template in
            guard fitsCanonically(template: template, values: values) else { return false }
            join(template: template, values: values) { out.append(verbatim: $0) }
            return true
        }
    }

    /// Whether `values` fill the template's holes exactly (one value each, none left over) with
    /// canonical numbers.
    private static func fitsCanonically(template: UnsafeBufferPointer<UInt8>, values: UnsafeBufferPointer<UInt8>) -> Bool {
        var next = 0  // where the next value starts; past the end once every value was used
        for byte in template where byte == AttributeShape.hole {
            guard next <= values.count else { return false }
            var end = next
            while end < values.count, values[end] != AttributeShape.hole { end += 1 }
            let number = UnsafeBufferPointer(rebasing: values[next..<end])
            guard isPlainCanonical(number: number) || isCanonical(number: number) else { return false }
            next = end + 1
        }
        // Every value used, and no more: past the last one, or none given to a template without holes.
        return next == 0 ? values.isEmpty : next == values.count + 1
    }

    /// Hands `piece` the template's text and the values in order, each hole replaced by its value,
    /// for values that fit (`fitsCanonically`).
    private static func join(template: UnsafeBufferPointer<UInt8>, values: UnsafeBufferPointer<UInt8>,
                             _ piece: (UnsafeBufferPointer<UInt8>) -> Void) {
        func give(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
            if end > start { piece(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
        }
        var run = 0  // where the template's text not yet given starts
        var next = 0  // where the next value starts
        for index in 0..<template.count where template[index] == AttributeShape.hole {
            var end = next
            while end < values.count, values[end] != AttributeShape.hole { end += 1 }
            give(template, run, index)
            give(values, next, end)
            run = index + 1
            next = end + 1
        }
        give(template, run, template.count)
    }

    /// Whether `token` has, by its characters alone, a form `JSONOutput.appendNumber` writes back
    /// unchanged for the Double it reads as: an integer of at most 15 digits (no leading zero, not
    /// `-0`), or a decimal of at most 15 significant digits, at least 0.0001 in magnitude, whose
    /// fraction does not end in 0. Such a decimal is the only one of at most 15 significant digits
    /// that reads as its Double (a Double keeps 15 decimal digits), so it is that Double's shortest
    /// form, which `appendNumber` writes without an exponent between 0.0001 and 2^53; an integer
    /// below 10^15 is written as its digits. Most readings are one of these: they are told apart
    /// without parsing and printing a Double. False decides nothing (`isCanonical(number:)` then does).
    static func isPlainCanonical(number token: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = token.count
        func isDigit(_ index: Int) -> Bool { token[index] &- UInt8(ascii: "0") < 10 }
        var index = 0
        if count > 0, token[0] == UInt8(ascii: "-") { index = 1 }
        let integerStart = index
        while index < count, isDigit(index) { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0, integerDigits <= 15 else { return false }
        let zeroInteger = token[integerStart] == UInt8(ascii: "0")
        guard !zeroInteger || integerDigits == 1 else { return false }
        // An integer: "0" (not "-0"), or digits without a leading zero.
        if index == count { return !(zeroInteger && integerStart == 1) }
        guard token[index] == UInt8(ascii: ".") else { return false }
        let fractionStart = index + 1
        index = fractionStart
        while index < count, isDigit(index) { index += 1 }
        guard index == count, count > fractionStart, token[count - 1] != UInt8(ascii: "0") else { return false }
        var significant = (zeroInteger ? 0 : integerDigits) + count - fractionStart
        if zeroInteger {
            // The zeros right after "0." are not significant; below 0.0001 a number is written with an exponent.
            var zeros = 0
            while token[fractionStart + zeros] == UInt8(ascii: "0") { zeros += 1 }  // the last digit is not 0
            guard zeros <= 3 else { return false }
            significant -= zeros
        }
        return significant <= 15
    }

    /// Whether `token` is written exactly as `JSONOutput.appendNumber` writes the Double it reads as.
    static func isCanonical(number token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !token.isEmpty, token.count <= 32, let number = Double(String(decoding: token, as: UTF8.self)) else { return false }
        var written = JSONOutput(reservingCapacity: 32)
        written.appendNumber(number)
        return written.text.utf8.elementsEqual(token)
    }
}
