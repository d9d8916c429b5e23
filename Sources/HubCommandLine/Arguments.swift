/// A command line split into positional arguments and `--name value` options, read by name.
public struct Arguments {
    /// The words that are not options, in order.
    public private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []

    /// Splits `words`; `flagNames` are options that take no value.
    public init(_ words: [String], flagNames: Set<String> = []) throws {
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("--"), word.count > 2 {
                var name = String(word.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    options[String(name[..<equals])] = String(name[name.index(after: equals)...])
                } else if flagNames.contains(name) {
                    flags.insert(name)
                } else {
                    index += 1
                    guard index < words.count else { throw UsageError("option --\(name) needs a value") }
                    options[name] = words[index]
                    name = ""
                }
            } else {
                positionals.append(word)
            }
            index += 1
        }
    }

    /// The value of `--name`, if given.
    public func option(_ name: String) -> String? { options[name] }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Throws when an option other than `known` was given, so a typo is not silently ignored.
    public func rejectUnknownOptions(_ known: Set<String>) throws {
        if let unknown = (Set(options.keys).union(flags)).subtracting(known).sorted().first {
            throw UsageError("unknown option --\(unknown)")
        }
    }
}

/// A command line that cannot be run as written.
public struct UsageError: Error, CustomStringConvertible {
    /// What is wrong with the command line.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
