import Foundation
import HubCore

/// A parsed `q` filter: the NGSI-LD query language (ETSI GS CIM 009 clause 4.9) over an entity's
/// attributes, evaluated against the entity in its normalized form (`NGSILDEntity`).
///
/// Terms: `attr` (the attribute exists), `!attr` (it does not), `attr<op>value` with the operators
/// `==`, `!=`, `>`, `>=`, `<`, `<=`, `~=` and `!~=` (a POSIX extended regular expression). `;` is AND, `|` is OR,
/// AND binds tighter, parentheses group. A value is a number, a quoted string, `true`/`false`, a
/// date-time, or an unquoted URI; `==` and `!=` also take a list (`a==1,2,3`) or a range
/// (`a==1..10`, inclusive). `attr.sub` reads a sub-attribute or a member such as `observedAt` or
/// `unitCode`; `attr[key][key]` reads inside a structured value. When the target is an array, a
/// term holds when it holds for one of its elements (for `!=`: for all of them).
indirect enum NGSILDQuery: Sendable {
    /// All of them.
    case all([NGSILDQuery])
    /// One of them.
    case any([NGSILDQuery])
    /// One term.
    case term(Term)

    /// The longest `q` read, and the deepest nesting of parentheses.
    static let maximumLength = 4096
    static let maximumDepth = 16

    /// One term: an attribute path and, unless it only tests existence, a comparison.
    struct Term: Sendable {
        /// The attribute (compacted to the hub's terms).
        var attribute: String
        /// A sub-attribute or member after `.`.
        var member: String?
        /// Keys inside a structured value, from `[key]`.
        var keys: [String] = []
        /// The comparison; nil tests existence.
        var comparison: Comparison?
        /// `!attr`: the attribute must be absent.
        var absent = false
    }

    /// How a term compares the target with its value.
    enum Comparison: Sendable {
        case equal(Operand)
        case unequal(Operand)
        case greater(Literal)
        case greaterOrEqual(Literal)
        case less(Literal)
        case lessOrEqual(Literal)
        case matches(NGSILDPattern)
        case notMatches(NGSILDPattern)
    }

    /// The right-hand side of `==` and `!=`.
    enum Operand: Sendable {
        /// Equal to one of these.
        case values([Literal])
        /// Between these, inclusive.
        case range(Literal, Literal)
    }

    /// A value written in a query.
    enum Literal: Sendable, Equatable {
        case number(Double)
        case text(String)
        case boolean(Bool)
        case dateTime(Timestamp)
    }

    // MARK: - Parsing

    /// Parses `text`; `compact` turns an attribute written as a full IRI into the hub's term.
    ///
    /// - Throws: `NGSILDProblem` (BadRequestData) saying where the text stops being a query.
    init(parsing text: String, compact: @escaping (String) -> String = { $0 }) throws {
        guard text.count <= Self.maximumLength else {
            throw NGSILDProblem.badRequest("q is longer than \(Self.maximumLength) characters")
        }
        var parser = QueryParser(text: Array(text), compact: compact)
        self = try parser.parseQuery()
    }

    // MARK: - Evaluation

    /// Whether `entity` (a normalized NGSI-LD entity) satisfies the query.
    func matches(_ entity: [String: JSONValue]) -> Bool {
        switch self {
        case .all(let parts): parts.allSatisfy { $0.matches(entity) }
        case .any(let parts): parts.contains { $0.matches(entity) }
        case .term(let term): term.matches(entity)
        }
    }

    /// The attribute names the query reads, for `attrs`-less projections and tests.
    var attributes: Set<String> {
        switch self {
        case .all(let parts), .any(let parts): parts.reduce(into: Set<String>()) { $0.formUnion($1.attributes) }
        case .term(let term): [term.attribute]
        }
    }
}

extension NGSILDQuery.Term {
    func matches(_ entity: [String: JSONValue]) -> Bool {
        guard let target = target(in: entity) else { return absent }
        if absent { return false }
        guard let comparison else { return true }
        let candidates = target.arrayValue ?? [target]
        switch comparison {
        case .equal(let operand): return candidates.contains { operand.holds(for: $0) }
        case .unequal(let operand): return !candidates.isEmpty && candidates.allSatisfy { !operand.holds(for: $0) }
        case .greater(let literal): return candidates.contains { literal.order(against: $0).map { $0 > 0 } ?? false }
        case .greaterOrEqual(let literal): return candidates.contains { literal.order(against: $0).map { $0 >= 0 } ?? false }
        case .less(let literal): return candidates.contains { literal.order(against: $0).map { $0 < 0 } ?? false }
        case .lessOrEqual(let literal): return candidates.contains { literal.order(against: $0).map { $0 <= 0 } ?? false }
        case .matches(let pattern): return candidates.contains { pattern.matches($0) }
        case .notMatches(let pattern): return !candidates.isEmpty && candidates.allSatisfy { !pattern.matches($0) }
        }
    }

    /// The value the term reads: the attribute's value (a Relationship's object), a member or
    /// sub-attribute of it, then keys inside a structured value; nil when any step is missing.
    private func target(in entity: [String: JSONValue]) -> JSONValue? {
        guard let node = entity[attribute] else { return nil }
        var value: JSONValue?
        if let member {
            guard let inner = node[member] else { return nil }
            value = inner.objectValue.flatMap { object in object["type"] == nil ? nil : Self.value(of: inner) } ?? inner
        } else {
            value = Self.value(of: node)
        }
        for key in keys { value = value?[key] }
        return value
    }

    /// A normalized attribute's value: `value`, or `object` for a Relationship.
    private static func value(of attribute: JSONValue) -> JSONValue? {
        attribute["value"] ?? attribute["object"]
    }
}

extension NGSILDQuery.Operand {
    func holds(for value: JSONValue) -> Bool {
        switch self {
        case .values(let literals): literals.contains { $0.order(against: value) == 0 }
        case .range(let low, let high):
            (low.order(against: value).map { $0 >= 0 } ?? false) && (high.order(against: value).map { $0 <= 0 } ?? false)
        }
    }
}

extension NGSILDQuery.Literal {
    /// How `value` compares with this literal: negative when less, 0 when equal, positive when
    /// greater; nil when they are not of comparable kinds.
    func order(against value: JSONValue) -> Int? {
        switch self {
        case .number(let number):
            guard let other = value.numberValue else { return nil }
            return other < number ? -1 : (other > number ? 1 : 0)
        case .boolean(let flag):
            guard let other = value.boolValue else { return nil }
            return other == flag ? 0 : nil
        case .dateTime(let time):
            guard let other = Self.time(of: value) else { return nil }
            return other < time ? -1 : (other > time ? 1 : 0)
        case .text(let text):
            guard let other = value.stringValue else { return nil }
            return other < text ? -1 : (other > text ? 1 : 0)
        }
    }

    /// A date-time value: `{"@type": "DateTime", "@value": ...}` or text in ISO 8601.
    static func time(of value: JSONValue) -> Timestamp? {
        if let text = value["@value"]?.stringValue ?? value.stringValue { return Timestamp(iso8601: text) }
        return nil
    }
}

/// Reads the query language, one character at a time.
private struct QueryParser {
    let text: [Character]
    let compact: (String) -> String
    var index = 0
    var depth = 0

    init(text: [Character], compact: @escaping (String) -> String) {
        self.text = text
        self.compact = compact
    }

    private var current: Character? { index < text.count ? text[index] : nil }

    private func failure(_ what: String) -> NGSILDProblem {
        NGSILDProblem.badRequest("q is not an NGSI-LD query: \(what) at character \(index + 1) of \"\(String(text))\"")
    }

    mutating func parseQuery() throws -> NGSILDQuery {
        guard !text.isEmpty else { throw failure("it is empty") }
        let query = try parseAny()
        guard current == nil else { throw failure("unexpected \"\(current!)\"") }
        return query
    }

    private mutating func parseAny() throws -> NGSILDQuery {
        var parts = [try parseAll()]
        while current == "|" {
            index += 1
            parts.append(try parseAll())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAll() throws -> NGSILDQuery {
        var parts = [try parseFactor()]
        while current == ";" {
            index += 1
            parts.append(try parseFactor())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseFactor() throws -> NGSILDQuery {
        guard current == "(" else { return .term(try parseTerm()) }
        depth += 1
        guard depth <= NGSILDQuery.maximumDepth else { throw failure("more than \(NGSILDQuery.maximumDepth) nested parentheses") }
        index += 1
        let inner = try parseAny()
        guard current == ")" else { throw failure("a \")\" is missing") }
        index += 1
        depth -= 1
        return inner
    }

    private mutating func parseTerm() throws -> NGSILDQuery.Term {
        var absent = false
        if current == "!" {
            absent = true
            index += 1
        }
        let start = index
        while let character = current, !"=!<>~;|()".contains(character) { index += 1 }
        let path = String(text[start..<index]).trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { throw failure("an attribute name is missing") }
        guard var term = Self.term(path: path, compact: compact) else { throw failure("\"\(path)\" is not an attribute path") }
        term.absent = absent
        guard let symbol = readOperator() else { return term }
        guard !absent else { throw failure("\"!\" only tests that an attribute is absent; it takes no comparison") }
        switch symbol {
        case "==": term.comparison = .equal(try parseOperand())
        case "!=": term.comparison = .unequal(try parseOperand())
        case ">": term.comparison = .greater(try parseSingle(symbol))
        case ">=": term.comparison = .greaterOrEqual(try parseSingle(symbol))
        case "<": term.comparison = .less(try parseSingle(symbol))
        case "<=": term.comparison = .lessOrEqual(try parseSingle(symbol))
        case "~=": term.comparison = .matches(try parsePattern())
        default: term.comparison = .notMatches(try parsePattern())
        }
        return term
    }

    /// `attr`, `attr.member`, `attr[key][key]`; a full IRI as the attribute is compacted.
    private static func term(path: String, compact: (String) -> String) -> NGSILDQuery.Term? {
        if path.contains("://") { return NGSILDQuery.Term(attribute: compact(path)) }
        var head = Substring(path)
        var keys: [String] = []
        if let bracket = head.firstIndex(of: "[") {
            var rest = head[bracket...]
            head = head[..<bracket]
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let key = rest[rest.index(after: rest.startIndex)..<close]
                guard !key.isEmpty else { return nil }
                keys.append(String(key))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        let parts = head.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && Self.isName($0) }) else { return nil }
        return NGSILDQuery.Term(attribute: compact(String(parts[0])), member: parts.count == 2 ? String(parts[1]) : nil, keys: keys)
    }

    /// A name of clause 4.6.2: letters, digits and `_`, optionally `prefix:`.
    private static func isName(_ name: Substring) -> Bool {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" || $0 == "@" }
    }

    private mutating func readOperator() -> String? {
        for symbol in ["!~=", "==", "!=", ">=", "<=", "~=", ">", "<"] where matches(symbol) {
            index += symbol.count
            return symbol
        }
        return nil
    }

    private func matches(_ symbol: String) -> Bool {
        let characters = Array(symbol)
        guard index + characters.count <= text.count else { return false }
        return Array(text[index..<index + characters.count]) == characters
    }

    private mutating func parseSingle(_ symbol: String) throws -> NGSILDQuery.Literal {
        guard case .values(let values) = try parseOperand(), values.count == 1 else {
            throw failure("\(symbol) takes one value, not a list or a range")
        }
        return values[0]
    }

    private mutating func parseOperand() throws -> NGSILDQuery.Operand {
        var values = [try parseLiteral()]
        if matches("..") {
            index += 2
            return .range(values[0], try parseLiteral())
        }
        while current == "," {
            index += 1
            values.append(try parseLiteral())
        }
        return .values(values)
    }

    private mutating func parseLiteral() throws -> NGSILDQuery.Literal {
        if current == "\"" { return .text(try readQuoted()) }
        let start = index
        while let character = current, !",;|()".contains(character), !matches("..") { index += 1 }
        let word = String(text[start..<index])
        guard !word.isEmpty else { throw failure("a value is missing") }
        guard let first = word.first, !"=<>!~\"".contains(first) else { throw failure("\"\(word)\" is not a value") }
        if word == "true" { return .boolean(true) }
        if word == "false" { return .boolean(false) }
        if let number = Double(word), number.isFinite, word.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) ?? false {
            return .number(number)
        }
        if let time = Timestamp(iso8601: word) { return .dateTime(time) }
        return .text(word)
    }

    private mutating func readQuoted() throws -> String {
        index += 1
        var value = ""
        while let character = current {
            index += 1
            if character == "\\", let next = current {
                value.append(next)
                index += 1
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        throw failure("a quoted value is not closed")
    }

    /// A regular expression: quoted, or up to `;` (and up to `|` or `)` outside its own parentheses).
    private mutating func parsePattern() throws -> NGSILDPattern {
        let source: String
        if current == "\"" {
            source = try readQuoted()
        } else {
            let start = index
            var open = 0
            while let character = current, character != ";" {
                if character == "(" { open += 1 }
                if character == ")" { if open == 0 { break } else { open -= 1 } }
                if character == "|", open == 0 { break }
                index += 1
            }
            source = String(text[start..<index])
        }
        guard let pattern = NGSILDPattern(source) else {
            throw failure("\"\(source)\" is not a POSIX extended regular expression of 1 to \(NGSILDPattern.maximumLength) characters without back references")
        }
        return pattern
    }
}
