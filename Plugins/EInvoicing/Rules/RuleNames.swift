import HubXML
import Synchronization

/// The local names rules mention (and the attribute names their paths end in), numbered once for the
/// process, so that a path step and an element compare as two integers. Names are numbered as rules are declared (their contexts, their paths
/// the first time they are read); a document's own names are only looked up, never added, so the
/// table holds the rules' vocabulary and nothing a sender writes.
enum RuleNames {
    private struct Table {
        var numbers: [String: Int32] = [:]
        var names: [String] = []
    }

    private static let table = Mutex(Table())

    /// The number of `name`, given the next one when it has none yet.
    static func number(_ name: String) -> Int32 {
        table.withLock { table in
            if let number = table.numbers[name] { return number }
            let number = Int32(table.names.count)
            table.names.append(name)
            table.numbers[name] = number
            return number
        }
    }

    /// How many names are numbered.
    static var count: Int32 { table.withLock { Int32($0.names.count) } }

    /// The name numbered `number`.
    static func name(_ number: Int32) -> String {
        table.withLock { $0.names[Int(number)] }
    }

    /// The number of each of `names` (-1 for a name no rule mentions), read under one lock, and
    /// how many names were numbered at that moment.
    static func numbers(of names: [String]) -> (numbers: [Int32], count: Int32) {
        table.withLock { table in
            (names.map { table.numbers[$0] ?? -1 }, Int32(table.names.count))
        }
    }
}
