import Synchronization

/// A location path as `RuleNode.all(_:)` reads it, parsed once per distinct text: rules write their
/// paths as string literals and evaluate them on every element of every invoice, so the text is
/// read once for the process and each evaluation costs integer comparisons only. (A class: a path
/// is handed out by the cache at each evaluation, and one reference costs less to hand than its parts.)
final class RulePath: Sendable {
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
    /// The attribute's number in `RuleNames` (where rules' attribute names are numbered beside
    /// element names), -1 when the path selects elements: whether a document has the attribute at
    /// all is then read from an array (`RuleDocument.hasAttribute(_:)`), without hashing its name.
    let attributeName: Int32
    /// The names of the path's element steps (`cac:Item/cbc:Name`: Item, Name; not `*` nor `..`):
    /// a document without an element of each selects nothing, which is known without a walk.
    let requiredNames: [Int32]

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
        var names: [Int32] = []
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            let first = RuleStep(parts.removeFirst())
            start = .anywhere(first)
            names.append(first.name)
        } else if rest.hasPrefix("/") {
            rest = rest.dropFirst()
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            let first = RuleStep(parts.removeFirst())
            start = .root(first)
            names.append(first.name)
        } else {
            parts = rest.isEmpty ? [] : rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .context
        }
        let steps: [Step] = parts.compactMap { part in
            switch part {
            case ".": nil
            case "..": .parent
            default: .child(RuleStep(part))
            }
        }
        for case .child(let step) in steps { names.append(step.name) }
        self.steps = steps
        requiredNames = names.filter { $0 != RuleStep.anyName }
        attributeName = attribute.map(RuleNames.number) ?? -1
    }

    /// The parsed form of `text`, from the process-wide cache (bounded: rules write a few thousand
    /// distinct paths; past the bound a path is parsed at each use).
    ///
    /// Rules pass their paths as string literals, evaluated on every element of every invoice: the
    /// cache is keyed by the string's own two words (`TextBits`), which a literal keeps for the life of
    /// the process, so a lookup neither hashes nor compares the text. A string of up to 15 bytes holds
    /// its text in those words; a longer one holds its storage's address, and a slot of the table keeps
    /// the string it was filled with alive, so no other text can come to lie at that address while the
    /// slot holds it: equal words are the same text either way.
    ///
    /// The first string to fill a slot is also published in `published`, read without the lock: a
    /// literal is found there with three loads and no atomic read-modify-write.
    static func compiled(_ text: String) -> RulePath {
        let bits = TextBits(text)
        let slot = Cache.slot(of: bits)
        if let path = published.path(at: slot, bits: bits) { return path }
        return cache.withLock { cache in
            // First the slot the words fall in, which costs no hashing: a literal is almost always there.
            if cache.slotBits[slot] == bits, let path = cache.slotPaths[slot] { return path }
            if let entry = cache.byBits[bits], entry.text == text {
                cache.fill(slot, bits: bits, text: entry.text, path: entry.path)
                published.publish(entry.path, at: slot, bits: bits)
                return entry.path
            }
            let known = cache.byText[text]
            let path = known?.path ?? RulePath(text)
            var addresses = known?.addresses ?? 0
            // A few strings per text: the literals that write it. A text built at run time comes in a
            // new string each time; after these it is found by its text.
            if addresses < addressesPerText, cache.byBits.count < maximumCached {
                cache.byBits[bits] = (text, path)
                cache.fill(slot, bits: bits, text: text, path: path)
                published.publish(path, at: slot, bits: bits)
                addresses += 1
            }
            if known == nil || addresses != known?.addresses, cache.byText.count < maximumCached {
                cache.byText[text] = (path, addresses)
            }
            return path
        }
    }

    /// A string's two words as they lie in memory: its text when short, else its storage's address
    /// with its length and flags.
    private struct TextBits: Hashable {
        let low: UInt64
        let high: UInt64

        init(_ text: String) {
            (low, high) = unsafeBitCast(text, to: (UInt64, UInt64).self)
        }

        static let empty = TextBits(low: 0, high: 0)

        private init(low: UInt64, high: UInt64) {
            self.low = low
            self.high = high
        }
    }

    /// The parsed paths by text, and by the words of the strings that wrote them; in front of the
    /// latter, a table indexed by bits of the words holding the path last found there (two strings
    /// falling in one slot take turns; each is still in `byBits`).
    ///
    /// A slot keeps the string whose words it holds: while it does, no other text can come to lie at
    /// the address a long string's words hold, so a slot whose words match holds the path of that text.
    private struct Cache {
        var byText: [String: (path: RulePath, addresses: Int)] = [:]
        var byBits: [TextBits: (text: String, path: RulePath)] = [:]
        /// Each slot's words (zero when empty: no string has both words zero), its string kept
        /// alive, and its path, in three arrays so that the comparison reads only words.
        var slotBits = [TextBits](repeating: .empty, count: slotCount)
        var slotTexts = [String](repeating: "", count: slotCount)
        var slotPaths = [RulePath?](repeating: nil, count: slotCount)

        static let slotCount = 1 << 13

        /// The slot of `bits`: both words folded, masked.
        static func slot(of bits: TextBits) -> Int {
            let folded = (bits.low >> 3) &* 0x9E37_79B9_7F4A_7C15 ^ bits.high &* 0xC2B2_AE3D_27D4_EB4F
            return Int(truncatingIfNeeded: folded >> 51) & (slotCount - 1)
        }

        /// Puts `path`, found for `text` whose words are `bits`, in `slot`.
        mutating func fill(_ slot: Int, bits: TextBits, text: String, path: RulePath) {
            slotBits[slot] = bits
            slotTexts[slot] = text
            slotPaths[slot] = path
        }
    }

    /// The paths of strings in `byBits` (which keeps each string, and so its address, for the life of
    /// the process), by slot, each slot filled once and then read without a lock.
    private static let published = PublishedPaths(count: Cache.slotCount)

    /// Slots of three atomic words (a string's two words, then its path's address), each filled once
    /// under the cache's lock, the path's word last with release ordering, and never changed after:
    /// a reader that acquires a non-zero path word sees the words it was published with. A published
    /// path is retained for the life of the process, and its string is kept by `byBits`, so the
    /// words stand for one text for as long as the slot holds them.
    private final class PublishedPaths: @unchecked Sendable {
        // @unchecked: the slots are reached through a pointer, and every access is an atomic load or
        // store; the memory is allocated once and never freed.
        struct Slot: ~Copyable {
            let low = Atomic<UInt64>(0)
            let high = Atomic<UInt64>(0)
            let path = Atomic<UInt>(0)
        }

        private let slots: UnsafeMutablePointer<Slot>

        init(count: Int) {
            slots = .allocate(capacity: count)
            for index in 0..<count { (slots + index).initialize(to: Slot()) }
        }

        /// The path published at `slot` for a string of words `bits`, nil when none is.
        @inline(__always)
        func path(at slot: Int, bits: TextBits) -> RulePath? {
            let word = slots[slot].path.load(ordering: .acquiring)
            guard word != 0, slots[slot].low.load(ordering: .relaxed) == bits.low,
                  slots[slot].high.load(ordering: .relaxed) == bits.high,
                  let address = UnsafeRawPointer(bitPattern: word) else { return nil }
            return Unmanaged<RulePath>.fromOpaque(address).takeUnretainedValue()
        }

        /// Publishes `path` for the string of words `bits` at `slot` if the slot is empty; called
        /// under the cache's lock, for a string `byBits` holds.
        func publish(_ path: RulePath, at slot: Int, bits: TextBits) {
            guard slots[slot].path.load(ordering: .relaxed) == 0 else { return }
            slots[slot].low.store(bits.low, ordering: .relaxed)
            slots[slot].high.store(bits.high, ordering: .relaxed)
            slots[slot].path.store(UInt(bitPattern: Unmanaged.passRetained(path).toOpaque()), ordering: .releasing)
        }
    }

    private static let maximumCached = 20_000
    private static let addressesPerText = 4
    private static let cache = Mutex(Cache())
}
