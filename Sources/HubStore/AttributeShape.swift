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
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return ("", "") }
        // One scratch buffer for both parts: the template is at most the text, the values at most
        // the text again (numbers and one separator between two of them).
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * count)
        defer { scratch.deallocate() }
        let template = scratch, values = scratch + count
        var templateCount = 0, valuesCount = 0
        var index = 0
        // Bytes kept as they are go to the template a run at a time, from `kept` to the next number.
        var kept = 0
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                // A string, skipped to its closing quote in one go (an escape skips the byte after it).
                index += 1
                while index < count {
                    let inner = base[index]
                    if inner == UInt8(ascii: "\"") { break }
                    if inner == hole { return nil }
                    if inner == UInt8(ascii: "\\") {
                        if index + 1 < count, base[index + 1] == hole { return nil }
                        index += 2
                    } else {
                        index += 1
                    }
                }
                index += 1
            } else if byte == UInt8(ascii: "-") || byte &- UInt8(ascii: "0") < 10 {
                (template + templateCount).update(from: base + kept, count: index - kept)
                templateCount += index - kept + 1
                template[templateCount - 1] = hole
                if valuesCount > 0 {
                    values[valuesCount] = hole
                    valuesCount += 1
                }
                var end = index + 1
                while end < count, isNumberByte(base[end]) { end += 1 }
                (values + valuesCount).update(from: base + index, count: end - index)
                valuesCount += end - index
                index = end
                kept = end
            } else if byte == hole {
                return nil
            } else {
                index += 1
            }
        }
        if kept < count {
            (template + templateCount).update(from: base + kept, count: count - kept)
            templateCount += count - kept
        }
        return (String(decoding: UnsafeBufferPointer(start: template, count: templateCount), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(start: values, count: valuesCount), as: UTF8.self))
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
