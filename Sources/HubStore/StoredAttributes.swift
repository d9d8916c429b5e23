import HubCore

/// How an event's stored attribute text becomes what a read gives back.
///
/// Reading an event parses the text into `Value`s, and the event renders them again
/// (`Event.attributesJSON`): text the hub wrote itself comes back as it was, anything else (a
/// `NaN` stored as null, text from an older hub) as its values render now. A listing that only
/// writes the text out may skip both steps when the result is known to be the same: when the
/// template reads back to itself, and each number taken out of it is written the way
/// `JSONOutput.appendNumber` writes the Double it reads as (`canonicalText`).
enum StoredAttributes {
    /// The values of stored attribute text (a JSON object of `Value.storedForm`s); a stored form
    /// that is not one of a typed value (a NaN written as null) is kept as the JSON it is.
    static func values(of text: String, event id: String) throws -> [String: Value] {
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
        var template = template, values = values
        return template.withUTF8 { template in values.withUTF8 { values in canonicalText(template: template, values: values) } }
    }

    /// One pass over the template, each hole given the next value, checked as it is copied.
    private static func canonicalText(template: UnsafeBufferPointer<UInt8>, values: UnsafeBufferPointer<UInt8>) -> String? {
        var fits = true
        let text = String(unsafeUninitializedCapacity: template.count + values.count) { out in
            var written = 0
            func copy(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
                guard end > start else { return }
                UnsafeMutableRawPointer(out.baseAddress! + written).copyMemory(from: bytes.baseAddress! + start, byteCount: end - start)
                written += end - start
            }
            var run = 0  // where the template's text not yet copied starts
            var next = 0  // where the next value starts; past the end once every value was used
            for index in 0..<template.count where template[index] == AttributeShape.hole {
                guard next <= values.count else {
                    fits = false
                    return 0
                }
                var end = next
                while end < values.count, values[end] != AttributeShape.hole { end += 1 }
                guard isCanonical(number: UnsafeBufferPointer(rebasing: values[next..<end])) else {
                    fits = false
                    return 0
                }
                copy(template, from: run, to: index)
                copy(values, from: next, to: end)
                run = index + 1
                next = end + 1
            }
            copy(template, from: run, to: template.count)
            // Every value used, and no more: past the last one, or none given to a template without holes.
            fits = next == 0 ? values.isEmpty : next == values.count + 1
            return fits ? written : 0
        }
        return fits ? text : nil
    }

    /// Whether `token` is written exactly as `JSONOutput.appendNumber` writes the Double it reads as.
    private static func isCanonical(number token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !token.isEmpty, token.count <= 32, let number = Double(String(decoding: token, as: UTF8.self)) else { return false }
        var written = JSONOutput(reservingCapacity: 32)
        written.appendNumber(number)
        return written.text.utf8.elementsEqual(token)
    }
}
