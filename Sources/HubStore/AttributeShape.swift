/// An event's attribute JSON split into what repeats from one observation of an entity to the next
/// and what changes: the *template* is the text with every number left out (names, units, texts,
/// structure), the *values* are those numbers as written. A sensor's readings share one template,
/// so a stored event keeps a small template id and a few digits instead of the whole text, and
/// joining the two gives back the text byte for byte.
///
/// The byte 0x01 marks each place a number was taken from, and separates the values. JSON text
/// never holds it raw (control characters are escaped inside strings and invalid outside), so a
/// text that does contain it is not split.
enum AttributeShape {
    /// Where a number was taken out of the template, and what separates the values.
    static let hole: UInt8 = 0x01

    /// The template and values of `json`, or nil when it cannot be split (it holds the hole byte).
    static func split(_ json: String) -> (template: String, values: String)? {
        if let parts = json.utf8.withContiguousStorageIfAvailable(split(bytes:)) { return parts }
        return Array(json.utf8).withUnsafeBufferPointer(split(bytes:))
    }

    private static func split(bytes: UnsafeBufferPointer<UInt8>) -> (template: String, values: String)? {
        var template: [UInt8] = []
        template.reserveCapacity(bytes.count)
        var values: [UInt8] = []
        values.reserveCapacity(32)
        var inString = false, escaped = false
        var numbers = 0
        var index = 0
        // Bytes kept as they are go to the template a run at a time, from `kept` to the next number.
        var kept = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == hole { return nil }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
            } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                template.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[kept..<index]))
                if numbers > 0 { values.append(hole) }
                numbers += 1
                var end = index
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                values.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                template.append(hole)
                index = end
                kept = end
            } else {
                if byte == UInt8(ascii: "\"") { inString = true }
                index += 1
            }
        }
        template.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[kept...]))
        return (String(decoding: template, as: UTF8.self), String(decoding: values, as: UTF8.self))
    }

    /// The JSON text a template and its values were split from, or nil when they do not fit
    /// together (not as many values as holes).
    static func join(template: String, values: String) -> String? {
        let holes = template.utf8.reduce(0) { $0 + ($1 == hole ? 1 : 0) }
        let parts = values.utf8.split(separator: hole, omittingEmptySubsequences: false)
        guard holes == 0 ? values.isEmpty : parts.count == holes else { return nil }
        var text: [UInt8] = []
        text.reserveCapacity(template.utf8.count + values.utf8.count)
        var next = parts.startIndex
        for byte in template.utf8 {
            if byte == hole {
                text.append(contentsOf: parts[next])
                next += 1
            } else {
                text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"): true
        default: false
        }
    }
}
