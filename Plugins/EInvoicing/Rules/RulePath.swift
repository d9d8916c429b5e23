import Synchronization

/// A location path as `RuleNode.all(_:)` reads it, parsed once per distinct text: rules write their
/// paths as string literals and evaluate them on every element of every invoice, so the text is
/// read once for the process and each evaluation costs integer comparisons only.
struct RulePath: Sendable {
    /// Where the path starts.
    enum Start: Sendable {
        /// At the context node (`cbc:ID`).
        case context
        /// At the root element, which must match the step (`/ubl:Invoice/...`, `/*/...`).
        case root(RuleStep)
        /// At every element of the document that matches the step (`//cac:InvoiceLine`).
        case anywhere(RuleStep)
    }

    /// One step after the start.
    enum Step: Sendable {
        /// `..`
        case parent
        /// A child element.
        case child(RuleStep)
    }

    /// Where the path starts.
    let start: Start
    /// The element steps after the start (`.` steps dropped).
    let steps: [Step]
    /// The attribute a last `@name` step names (`ram:GlobalID/@schemeID`, `@unitCode`), nil when
    /// the path selects elements.
    let attribute: String?

    /// The path written `text`.
    init(_ text: String) {
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@") {
            attribute = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            if rest.hasSuffix("/") { rest = rest.dropLast() }
        } else {
            attribute = nil
        }
        var parts: [Substring]
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .anywhere(RuleStep(parts.removeFirst()))
        } else if rest.hasPrefix("/") {
            rest = rest.dropFirst()
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .root(RuleStep(parts.removeFirst()))
        } else {
            parts = rest.isEmpty ? [] : rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .context
        }
        steps = parts.compactMap { part in
            switch part {
            case ".": nil
            case "..": .parent
            default: .child(RuleStep(part))
            }
        }
    }

    /// The parsed form of `text`, from the process-wide cache (bounded: rules write a few thousand
    /// distinct paths; past the bound a path is parsed at each use).
    ///
    /// Rules pass their paths as string literals, and a literal longer than 15 bytes (the longest a
    /// string holds inline) keeps its text at one address for the life of the process: that address
    /// keys the cache, so a lookup hashes two integers instead of the path's text, and the text
    /// found there is compared (at once, for the same literal) in case another string now lives at
    /// that address. Shorter paths are hashed as text, which costs as little.
    static func compiled(_ text: String) -> RulePath {
        let address = text.utf8.count > 15
            ? text.utf8.withContiguousStorageIfAvailable { TextAddress(start: UInt(bitPattern: $0.baseAddress), count: $0.count) } : nil
        return cache.withLock { cache in
            // First the slot the address falls in, which costs no hashing: a literal is almost always there.
            let slot = address.map(Cache.slot(of:))
            if let address, let slot, cache.slotAddresses[slot] == address, let path = cache.slotPaths[slot] { return path }
            if let address, let slot, let entry = cache.byAddress[address], entry.text == text {
                cache.fill(slot, address: address, text: entry.text, path: entry.path)
                return entry.path
            }
            let known = cache.byText[text]
            let path = known?.path ?? RulePath(text)
            var addresses = known?.addresses ?? 0
            // A few addresses per text: the literals that write it. A text built at run time comes at
            // a new address each time; after these it is found by its text.
            if let address, addresses < addressesPerText, cache.byAddress.count < maximumCached {
                cache.byAddress[address] = (text, path)
                addresses += 1
            }
            if known == nil || addresses != known?.addresses, cache.byText.count < maximumCached {
                cache.byText[text] = (path, addresses)
            }
            return path
        }
    }

    /// Where a string's UTF-8 text lies.
    private struct TextAddress: Hashable {
        let start: UInt
        let count: Int
    }

    /// The parsed paths by text, and by the address of the text of the literals that wrote them;
    /// in front of the latter, a table indexed by bits of the address holding the path last found
    /// there (two addresses falling in one slot take turns; each is still in `byAddress`).
    ///
    /// A slot keeps the string whose address it holds: while it does, no other text can come to
    /// lie at that address, so a slot whose address matches holds the path of that very text.
    private struct Cache {
        var byText: [String: (path: RulePath, addresses: Int)] = [:]
        var byAddress: [TextAddress: (text: String, path: RulePath)] = [:]
        /// Each slot's address (zero when empty), its text kept alive, and its path, in three
        /// arrays so that the comparison reads only addresses.
        var slotAddresses = [TextAddress](repeating: TextAddress(start: 0, count: 0), count: slotCount)
        var slotTexts = [String](repeating: "", count: slotCount)
        var slotPaths = [RulePath?](repeating: nil, count: slotCount)

        static let slotCount = 1 << 13

        /// The slot of `address`: its bits above the 8-byte alignment, folded, masked.
        static func slot(of address: TextAddress) -> Int {
            let bits = address.start >> 3
            return Int(truncatingIfNeeded: (bits ^ bits >> 13 ^ bits >> 26) & UInt(slotCount - 1))
        }

        /// Puts `path`, found for `text` at `address`, in `slot`.
        mutating func fill(_ slot: Int, address: TextAddress, text: String, path: RulePath) {
            slotAddresses[slot] = address
            slotTexts[slot] = text
            slotPaths[slot] = path
        }
    }

    private static let maximumCached = 20_000
    private static let addressesPerText = 4
    private static let cache = Mutex(Cache())
}
