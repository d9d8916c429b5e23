/// The `## Example` section of a connector's README: exactly one fenced block,
///
///     ```console
///     $ hub decode sensors.json Plugins/Sensors/JSON/sample.json --settings Plugins/Sensors/JSON/settings.json --received-at 2026-11-22T08:00:02.5Z
///     {"attributes":{"no2":{"unitCode":"GQ","value":41.5},...,
///      "route":"decode","type":"AirQualityObserved"}
///     ```
///
/// whose first line is the command as typed at the repository's root, and whose other lines are what
/// it prints on standard output. A line that begins with a space continues the previous line: the
/// newline and that one space are removed, so long lines can be wrapped for reading.
struct ConsoleExample {
    /// The opening fence of the block.
    static let fence = "```console"
    /// How wide `wrap` makes lines, leading space included.
    static let width = 100

    /// The command after `$ `, unwrapped.
    var command: String
    /// The command's words after `hub`, as the program receives them.
    var arguments: [String]
    /// The lines the command prints, unwrapped.
    var output: [String]

    /// Reads the example of a README; throws saying what is missing or malformed.
    init(readme text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headings = lines.indices.filter { Self.trimmingTrailingSpaces(lines[$0]) == "## Example" }
        guard headings.count == 1, let heading = headings.first else {
            throw RepositoryError("the README needs exactly one \"## Example\" section (it has \(headings.count))")
        }
        // The section runs to the next heading of level 1 or 2 outside a fenced block.
        var blocks: [(opening: String, body: [String])] = []
        var open: (opening: String, body: [String])?
        for line in lines[(heading + 1)...] {
            if var block = open {
                if line.hasPrefix("```") {
                    blocks.append(block)
                    open = nil
                } else {
                    block.body.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                open = (Self.trimmingTrailingSpaces(line), [])
            } else if line.hasPrefix("## ") || line.hasPrefix("# ") {
                break
            }
        }
        guard open == nil else { throw RepositoryError("the fenced block of \"## Example\" is not closed") }
        guard blocks.count == 1, let block = blocks.first, block.opening == Self.fence else {
            throw RepositoryError("\"## Example\" must hold exactly one fenced block, opened by \(Self.fence) "
                + "(it holds \(blocks.count): \(blocks.map(\.opening).joined(separator: ", ")))")
        }
        let logical = Self.unwrap(block.body)
        guard let first = logical.first, first.hasPrefix("$ ") else {
            throw RepositoryError("the first line of the \(Self.fence) block must be the command, \"$ hub decode ...\"")
        }
        command = String(first.dropFirst(2))
        let words = try Self.words(command)
        guard words.first == "hub", words.count > 1 else {
            throw RepositoryError("the command must run hub, as \"$ hub decode CONNECTOR FILE ...\": \(command)")
        }
        arguments = Array(words.dropFirst())
        output = Array(logical.dropFirst())
    }

    /// Joins each line that begins with a space to the line before it, without that one space.
    static func unwrap(_ lines: [String]) -> [String] {
        var logical: [String] = []
        for line in lines {
            if line.hasPrefix(" "), let last = logical.popLast() {
                logical.append(last + line.dropFirst())
            } else {
                logical.append(line)
            }
        }
        return logical
    }

    /// Wraps one line for a README: after a comma outside JSON strings, once a line is longer than
    /// `width`; each continuation begins with one space. `unwrap` gives the line back.
    static func wrap(_ line: String, width: Int = width) -> [String] {
        let characters = Array(line)
        var pieces: [String] = []
        var start = 0
        var breakAfter: Int?
        var inString = false
        var escaped = false
        for (index, character) in characters.enumerated() {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "," {
                breakAfter = index
            }
            let indent = pieces.isEmpty ? 0 : 1
            if index - start + 1 + indent > width, let end = breakAfter, end < characters.count - 1 {
                pieces.append(String(repeating: " ", count: indent) + String(characters[start...end]))
                start = end + 1
                breakAfter = nil
            }
        }
        pieces.append(String(repeating: " ", count: pieces.isEmpty ? 0 : 1) + String(characters[start...]))
        return pieces
    }

    /// The block as it should stand in the README: the command, then `output` wrapped.
    static func block(command: String, output: [String]) -> String {
        ([fence, "$ " + command] + output.flatMap { wrap($0) } + ["```"]).joined(separator: "\n")
    }

    /// Splits a command into words at spaces, as a shell would for plain words and 'single-quoted' text.
    static func words(_ command: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quoted = false
        for character in command {
            if quoted {
                if character == "'" { quoted = false } else { word.append(character) }
            } else if character == "'" {
                quoted = true
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else if "\"\\$`*?;|&<>(){}[]".contains(character) {
                throw RepositoryError("the command has \(character) outside single quotes; write it without shell syntax: \(command)")
            } else {
                word.append(character)
                inWord = true
            }
        }
        guard !quoted else { throw RepositoryError("the command has an unclosed single quote: \(command)") }
        if inWord { words.append(word) }
        return words
    }

    /// What differs between the README's `example` and what its command printed, with the block to
    /// paste in its place; nil when they agree line by line.
    static func mismatch(readme: String, example: ConsoleExample, printed: [String]) -> String? {
        guard example.output != printed else { return nil }
        let common = min(example.output.count, printed.count)
        let line = (0..<common).first { example.output[$0] != printed[$0] } ?? common
        let readmeLine = line < example.output.count ? Array(example.output[line]) : nil
        let printedLine = line < printed.count ? Array(printed[line]) : nil
        let column = zip(readmeLine ?? [], printedLine ?? []).prefix { $0 == $1 }.count
        func excerpt(_ text: [Character]?) -> String {
            guard let text else { return "(no such line)" }
            guard !text.isEmpty else { return "(an empty line)" }
            let start = max(0, column - 40)
            let end = min(text.count, column + 40)
            return (start > 0 ? "…" : "") + String(text[start..<end]) + (end < text.count ? "…" : "")
        }
        return """
            \(readme): the "## Example" block is not what its command prints \
            (\(example.output.count) line(s) in the README, \(printed.count) printed); first difference at output line \(line + 1), column \(column + 1) (unwrapped):
              README: \(excerpt(readmeLine))
              hub:    \(excerpt(printedLine))
            Replace the block with:
            \(block(command: example.command, output: printed))

            """
    }

    /// Standard output split into lines, without the empty piece after the last newline.
    static func lines(of output: String) -> [String] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " || line.last == "\t" || line.last == "\r" { line.removeLast() }
        return String(line)
    }
}
