import Foundation
import HubXML
import Synchronization

/// The local names rules mention (and the attribute names their paths end in), numbered once for the
/// process, so that a path step and an element compare as two integers. Names are numbered as rules
/// are declared (their contexts, their paths the first time they are read); a document's own names
/// are only looked up, never added, so the table holds the rules' vocabulary and nothing a sender writes.
enum RuleNames {
    /// The names by number, and an open-addressing index of them by a hash of their UTF-8 bytes
    /// (FNV-1a): each document looks up its few dozen distinct names, and this costs a few
    /// instructions a byte where a `Dictionary` of `String` hashes with SipHash.
    private struct Table {
        var names: [String] = []
        /// Each slot holds a name's number, or -1 when empty; a power of two, at most half full.
        var slots = [Int32](repeating: -1, count: 1 << 12)
        /// The answers last given for short names (up to 15 bytes, held in the string's own two words
        /// rather than in storage elsewhere: most element names), by those words: each document's short
        /// names are found without reading their bytes. -1 is taken only while no name was added since.
        var recent = [(low: UInt64, high: UInt64, number: Int32, count: Int32, suffixes: UInt16)](repeating: (0, 0, -1, -1, 0), count: 1 << 10)
        /// The `NameSuffix` endings of each numbered name, at its number.
        var suffixes: [UInt16] = []

        /// The number of `name` (-1 when it has none) and its endings, looked up among the recent
        /// answers first when it is short.
        mutating func recentNumber(of name: String) -> (number: Int32, suffixes: UInt16) {
            let (low, high) = unsafeBitCast(name, to: (UInt64, UInt64).self)
            // Bit 61 of the second word: the string is small, its text in the two words (no two words
            // of another text are equal to them).
            guard high >> 61 & 1 == 1 else { return numberAndSuffixes(of: name) }
            let slot = Int(truncatingIfNeeded: (low &* 0x9E37_79B9_7F4A_7C15 ^ high &* 0xC2B2_AE3D_27D4_EB4F) >> 54)
            let known = recent[slot]
            if known.low == low && known.high == high && (known.number >= 0 || known.count == Int32(names.count)) {
                return (known.number, known.suffixes)
            }
            let answer = numberAndSuffixes(of: name)
            recent[slot] = (low, high, answer.number, Int32(names.count), answer.suffixes)
            return answer
        }

        /// The number of `name` (-1 when it has none) and its endings.
        private func numberAndSuffixes(of name: String) -> (number: Int32, suffixes: UInt16) {
            let number = number(of: name)
            return (number, number >= 0 ? suffixes[Int(number)] : NameSuffix.mask(of: name))
        }

        /// The number of `name`, -1 when it has none.
        func number(of name: String) -> Int32 {
            var name = name
            return name.withUTF8 { bytes in
                var slot = Self.hash(bytes) & (slots.count - 1)
                while slots[slot] >= 0 {
                    let number = slots[slot]
                    if Self.equal(names[Int(number)], bytes) { return number }
                    slot = (slot + 1) & (slots.count - 1)
                }
                return -1
            }
        }

        /// Numbers `name`, which has no number yet.
        mutating func add(_ name: String) -> Int32 {
            let number = Int32(names.count)
            names.append(name)
            suffixes.append(NameSuffix.mask(of: name))
            if names.count * 2 > slots.count {
                slots = [Int32](repeating: -1, count: slots.count * 2)
                for index in names.indices { place(Int32(index)) }
            } else {
                place(number)
            }
            return number
        }

        private mutating func place(_ number: Int32) {
            var name = names[Int(number)]
            var slot = name.withUTF8(Self.hash) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = number
        }

        private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return Int(truncatingIfNeeded: hash ^ hash >> 29)
        }

        private static func equal(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var name = name
            return name.withUTF8 { name in
                name.count == bytes.count && (name.isEmpty || memcmp(name.baseAddress!, bytes.baseAddress!, name.count) == 0)
            }
        }
    }

    private static let table = Mutex(Table())

    /// The number of `name`, given the next one when it has none yet.
    static func number(_ name: String) -> Int32 {
        table.withLock { table in
            let known = table.number(of: name)
            return known >= 0 ? known : table.add(name)
        }
    }

    /// How many names are numbered.
    static var count: Int32 { table.withLock { Int32($0.names.count) } }

    /// The name numbered `number`.
    static func name(_ number: Int32) -> String {
        table.withLock { $0.names[Int(number)] }
    }

    /// The number of each of a document's `names` (-1 for a name no rule mentions) with its
    /// `NameSuffix` endings, and the numbers of its `attributes` names, read under one lock; and how
    /// many names were numbered at that moment.
    static func numbers(of names: [String], attributes: [String]) -> (names: [(number: Int32, suffixes: UInt16)], attributes: [Int32], count: Int32) {
        table.withLock { table in
            (names.map { table.recentNumber(of: $0) }, attributes.map { table.recentNumber(of: $0).number }, Int32(table.names.count))
        }
    }
}
