import HubCore

/// A condition on one event's attributes, written as text in a rule's `predicate`, e.g.
/// `failures is not empty`, `delay > 300`, `status == "occupied"`, `valid == false or lineCount > 500`.
///
/// The grammar (README, "Rules and alarms"):
///
/// ```
/// predicate  = clause { ("and" | "or") clause }     "and" binds tighter than "or"; no parentheses
/// clause     = attribute comparison literal
///            | attribute "is" ["not"] "empty"
/// comparison = "==" | "!=" | ">" | ">=" | "<" | "<="
/// literal    = number | "text in double quotes" | true | false
/// attribute  = a letter or "_", then letters, digits, "_", "-" or "."
/// ```
///
/// A comparison with an attribute the event lacks, or of another kind (a number compared with text),
/// is false, except `!=`, which is true when the attribute is missing or differs. `is empty` is true
/// for a missing attribute, empty text, and an empty JSON list or object (an invoice's `failures`).
public struct AlarmPredicate: Sendable, Hashable, CustomStringConvertible {
    /// How a clause compares an attribute with its literal.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "==", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    }

    /// The constant a clause compares with.
    public enum Literal: Sendable, Hashable {
        case number(Double), text(String), boolean(Bool)
    }

    /// One test of one attribute.
    public enum Clause: Sendable, Hashable {
        /// `attribute comparison literal`.
        case compare(attribute: String, Comparison, Literal)
        /// `attribute is empty` (`negated`: `is not empty`).
        case isEmpty(attribute: String, negated: Bool)

        /// The attribute the clause reads.
        public var attribute: String {
            switch self {
            case .compare(let name, _, _), .isEmpty(let name, _): name
            }
        }
    }

    /// Alternatives (joined by `or`), each a list of clauses that must all hold (joined by `and`).
    public let alternatives: [[Clause]]
    /// The text it was read from.
    public let description: String

    /// Every attribute the predicate reads, in order of first mention.
    public var attributes: [String] {
        var seen: [String] = []
        for clause in alternatives.joined() where !seen.contains(clause.attribute) { seen.append(clause.attribute) }
        return seen
    }

    /// Reads a predicate; the error's message says where the text stops making sense.
    public init(parsing text: String) throws(AlarmPredicateError) {
        var tokens = try Self.tokens(of: text)
        tokens.reverse()
        var alternatives: [[Clause]] = [[]]
        while true {
            alternatives[alternatives.count - 1].append(try Self.clause(&tokens))
            guard let next = tokens.popLast() else { break }
            switch next.kind {
            case .word("and"): continue
            case .word("or"): alternatives.append([])
            default: throw AlarmPredicateError(at: next.offset, "expected \"and\", \"or\" or the end, found \(next.kind)")
            }
        }
        self.alternatives = alternatives
        self.description = text
    }

    /// Whether `attributes` satisfy the predicate.
    public func holds(for attributes: [String: Value]) -> Bool {
        alternatives.contains { clauses in clauses.allSatisfy { Self.holds($0, attributes[$0.attribute]) } }
    }

    private static func holds(_ clause: Clause, _ value: Value?) -> Bool {
        switch clause {
        case .isEmpty(_, let negated):
            let empty: Bool
            switch value {
            case nil: empty = true
            case .text(let text)?: empty = text.isEmpty
            case .json(.array(let items))?: empty = items.isEmpty
            case .json(.object(let members))?: empty = members.isEmpty
            case .json(.null)?: empty = true
            default: empty = false
            }
            return empty != negated
        case .compare(_, let comparison, let literal):
            let order: Int?  // -1, 0, 1 when the value and the literal are of one kind
            switch (value, literal) {
            case (.number(let number, _)?, .number(let constant)): order = number < constant ? -1 : (number > constant ? 1 : 0)
            case (.text(let text)?, .text(let constant)): order = text < constant ? -1 : (text > constant ? 1 : 0)
            case (.boolean(let flag)?, .boolean(let constant)): order = flag == constant ? 0 : nil
            default: order = nil
            }
            guard let order else { return comparison == .notEqual }
            switch comparison {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            }
        }
    }

    // MARK: - Reading

    private struct Token {
        enum Kind: CustomStringConvertible {
            case word(String), number(Double), text(String), comparison(Comparison)
            var description: String {
                switch self {
                case .word(let word): "\"\(word)\""
                case .number(let number): JSONValue.number(number).jsonText
                case .text(let text): JSONValue.string(text).jsonText
                case .comparison(let comparison): "\"\(comparison.rawValue)\""
                }
            }
        }
        let kind: Kind
        let offset: Int
    }

    private static func clause(_ tokens: inout [Token]) throws(AlarmPredicateError) -> Clause {
        guard let first = tokens.popLast() else { throw AlarmPredicateError(at: nil, "expected an attribute name") }
        guard case .word(let attribute) = first.kind, !["and", "or", "is", "not", "empty", "true", "false"].contains(attribute) else {
            throw AlarmPredicateError(at: first.offset, "expected an attribute name, found \(first.kind)")
        }
        guard let operation = tokens.popLast() else {
            throw AlarmPredicateError(at: nil, "expected a comparison or \"is\" after \(attribute)")
        }
        switch operation.kind {
        case .comparison(let comparison):
            guard let literal = tokens.popLast() else { throw AlarmPredicateError(at: nil, "expected a value after \(comparison.rawValue)") }
            switch literal.kind {
            case .number(let number): return .compare(attribute: attribute, comparison, .number(number))
            case .text(let text) where comparison == .equal || comparison == .notEqual:
                return .compare(attribute: attribute, comparison, .text(text))
            case .word("true") where comparison == .equal || comparison == .notEqual:
                return .compare(attribute: attribute, comparison, .boolean(true))
            case .word("false") where comparison == .equal || comparison == .notEqual:
                return .compare(attribute: attribute, comparison, .boolean(false))
            case .text, .word("true"), .word("false"):
                throw AlarmPredicateError(at: literal.offset, "text and booleans compare with == or != only")
            default:
                throw AlarmPredicateError(at: literal.offset, "expected a number, \"text\", true or false, found \(literal.kind)")
            }
        case .word("is"):
            var negated = false
            var next = tokens.popLast()
            if case .word("not")? = next?.kind {
                negated = true
                next = tokens.popLast()
            }
            guard case .word("empty")? = next?.kind else {
                throw AlarmPredicateError(at: next?.offset, "expected \"empty\" or \"not empty\" after \"is\"")
            }
            return .isEmpty(attribute: attribute, negated: negated)
        default:
            throw AlarmPredicateError(at: operation.offset, "expected a comparison (== != > >= < <=) or \"is\", found \(operation.kind)")
        }
    }

    private static func tokens(of text: String) throws(AlarmPredicateError) -> [Token] {
        let characters = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
        func isWordPart(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || ("0"..."9").contains(c) || c == "-" || c == "." }
        while index < characters.count {
            let c = characters[index]
            let start = index
            if c == " " || c == "\t" || c == "\n" {
                index += 1
            } else if isWordStart(c) {
                while index < characters.count, isWordPart(characters[index]) { index += 1 }
                tokens.append(Token(kind: .word(String(String.UnicodeScalarView(characters[start..<index]))), offset: start))
            } else if ("0"..."9").contains(c) || c == "-" {
                index += 1
                while index < characters.count, ("0"..."9").contains(characters[index]) || ".eE+-".unicodeScalars.contains(characters[index]) {
                    index += 1
                }
                let digits = String(String.UnicodeScalarView(characters[start..<index]))
                guard let number = Double(digits), number.isFinite else {
                    throw AlarmPredicateError(at: start, "\(digits) is not a number")
                }
                tokens.append(Token(kind: .number(number), offset: start))
            } else if c == "\"" {
                index += 1
                var scalars = String.UnicodeScalarView()
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    scalars.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw AlarmPredicateError(at: start, "the text is not closed by a double quote") }
                index += 1
                tokens.append(Token(kind: .text(String(scalars)), offset: start))
            } else if let comparison = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }).first(where: {
                let operator_ = Array($0.rawValue.unicodeScalars)
                return index + operator_.count <= characters.count && Array(characters[index..<(index + operator_.count)]) == operator_
            }) {
                index += comparison.rawValue.unicodeScalars.count
                tokens.append(Token(kind: .comparison(comparison), offset: start))
            } else {
                throw AlarmPredicateError(at: start, "unexpected \"\(c)\"")
            }
        }
        return tokens
    }
}

/// Why a predicate's text cannot be read, and where.
public struct AlarmPredicateError: Error, Sendable, CustomStringConvertible {
    /// The character (from 1) where reading stopped; nil at the end of the text.
    public let position: Int?
    /// What was expected.
    public let message: String

    init(at offset: Int?, _ message: String) {
        self.position = offset.map { $0 + 1 }
        self.message = message
    }

    public var description: String { position.map { "at character \($0): \(message)" } ?? "at the end: \(message)" }
}
