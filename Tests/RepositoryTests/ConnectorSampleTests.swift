import Foundation
import HubRuntime
import HubServices
import HubTesting
import XCTest

/// Every compiled-in connector has its folder, `Plugins/<Family>/<Connector>/`, with a README, a
/// `sample.<ext>` and a `settings.json`, and its README's `## Example` shows the command that decodes
/// the sample with those settings, followed by exactly what `hub decode` prints.
final class ConnectorSampleTests: XCTestCase {
    private var compiledIn: [String] { ConnectorCatalog.compiledIn.ids }

    /// The folders whose README's first heading names a connector id, by id.
    private func connectorFolders() throws -> [String: [ConnectorFolder]] {
        Dictionary(grouping: try ConnectorFolder.all().filter { $0.id != nil }) { $0.id ?? "" }
    }

    func testEveryCompiledInConnectorHasItsFolderWithReadmeSampleAndSettings() throws {
        let folders = try connectorFolders()
        XCTAssertEqual(compiledIn.count, Set(compiledIn).count, "a connector id is compiled in twice: \(compiledIn)")
        for id in compiledIn {
            guard let found = folders[id] else {
                XCTFail("\(id) is compiled in but no Plugins/<Family>/<Connector>/README.md begins with \"# `\(id)`\"")
                continue
            }
            XCTAssertEqual(found.count, 1, "\(id) is named by several READMEs: \(found.map(\.path))")
            for folder in found {
                XCTAssertFalse(folder.samples.isEmpty, "\(folder.path) has no sample.<ext> for \(id)")
                XCTAssertTrue(folder.hasSettings, "\(folder.path) has no settings.json (write {} when the example needs none)")
            }
        }
    }

    func testEveryConnectorFolderIsCompiledIn() throws {
        let folders = try ConnectorFolder.all()
        XCTAssertFalse(folders.isEmpty, "no folders under \(Repository.root.path)/Plugins/*/")
        for folder in folders {
            if let id = folder.id {
                let family = folder.path.split(separator: "/").dropFirst().first.map(String.init) ?? "?"
                XCTAssertTrue(compiledIn.contains(id),
                              "\(folder.path)/README.md names connector \(id), which is not compiled in: add its type to "
                              + "the connectors list in Plugins/\(family)/\(family)Plugin.swift (compiled in: \(compiledIn.joined(separator: ", ")))")
            } else {
                // A shared helper (Sensors/Codecs, Sensors/SmartDataModels) has neither a sample nor an id.
                XCTAssertEqual(folder.samples, [], "\(folder.path) has a sample but its README.md does not begin with "
                               + "\"# `<connector id>`\"; a connector's README names its id first")
            }
        }
    }

    func testEachReadmeExampleIsWhatHubDecodePrints() throws {
        let hub = try ExternalProgram.built("hub")
        let folders = try connectorFolders()
        var checked = 0
        for id in compiledIn {
            guard let folder = folders[id]?.first, let readme = folder.readme else { continue } // reported above
            let readmePath = folder.path + "/README.md"
            let example: ConsoleExample
            do {
                example = try ConsoleExample(readme: readme)
            } catch {
                XCTFail("\(readmePath): \(error)")
                continue
            }
            let decode = example.arguments
            let samples = folder.samples.map { "\(folder.path)/\($0)" }
            guard decode.count >= 3, decode[0] == "decode", decode[1] == id, samples.contains(decode[2]) else {
                XCTFail("\(readmePath): the example's command must begin with \"hub decode \(id) \(folder.path)/sample.<ext>\": \(example.command)")
                continue
            }
            XCTAssertEqual(option("settings", in: decode), "\(folder.path)/settings.json",
                           "\(readmePath): the example's command must give --settings \(folder.path)/settings.json")
            XCTAssertNotNil(option("received-at", in: decode),
                            "\(readmePath): the example's command must give --received-at, so that its output does not change")
            let result = try ExternalProgram.run(hub, decode, in: Repository.root)
            XCTAssertEqual(result.status, 0, "\(readmePath): \(example.command) exited with \(result.status): \(result.errors)")
            if let mismatch = ConsoleExample.mismatch(readme: readmePath, example: example, printed: ConsoleExample.lines(of: result.output)) {
                XCTFail(mismatch)
            }
            checked += 1
        }
        XCTAssertEqual(checked, compiledIn.count, "not every compiled-in connector's example was run")
    }

    func testAWrongExamplePrintsTheBlockToPaste() throws {
        let readme = """
            # `sensors.example`

            ## Example

            ```console
            $ hub decode sensors.example sample.json --settings settings.json
            {"a":1,
             "b":2}
            ```

            ## Dead letters
            """
        let example = try ConsoleExample(readme: readme)
        XCTAssertEqual(example.arguments, ["decode", "sensors.example", "sample.json", "--settings", "settings.json"])
        XCTAssertEqual(example.output, [#"{"a":1,"b":2}"#])
        XCTAssertNil(ConsoleExample.mismatch(readme: "README.md", example: example, printed: [#"{"a":1,"b":2}"#]))
        let long = #"{"attributes":{"text":{"value":"a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v"}},"entity":"urn:ngsi-ld:Device:d1","route":"decode","type":"Device"}"#
        let message = try XCTUnwrap(ConsoleExample.mismatch(readme: "README.md", example: example, printed: [#"{"a":1,"b":3}"#, long]))
        let block = """
            ```console
            $ hub decode sensors.example sample.json --settings settings.json
            {"a":1,"b":3}
            {"attributes":{"text":{"value":"a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v"}},
             "entity":"urn:ngsi-ld:Device:d1","route":"decode","type":"Device"}
            ```
            """
        XCTAssertTrue(message.contains("\n" + block + "\n"), message)
        XCTAssertTrue(message.contains("first difference at output line 1, column 12"), message)
        XCTAssertTrue(message.contains(#"README: {"a":1,"b":2}"#), message)
        XCTAssertTrue(message.contains(#"hub:    {"a":1,"b":3}"#), message)
        // Pasted, the block reads back as what was printed.
        XCTAssertEqual(try ConsoleExample(readme: "## Example\n\n" + block + "\n").output, [#"{"a":1,"b":3}"#, long])
    }

    func testAnExampleMustBeOneConsoleBlock() {
        let cases = [
            "# `x`\n\nNo example.\n",
            "## Example\n\n```json\n{}\n```\n",
            "## Example\n\n```console\n$ hub decode x s.json\n```\n\n```console\n$ hub decode x s.json\n```\n",
            "## Example\n\n```console\nhub decode x s.json\n```\n",
            "## Example\n\n```console\n$ hub decode x s.json\n",
            "## Example\n\n```console\n$ hub decode x \"s.json\"\n```\n",
        ]
        for text in cases {
            XCTAssertThrowsError(try ConsoleExample(readme: text), text)
        }
    }

    func testLongLinesWrapAndUnwrapToThemselves() {
        let line = #"{"attributes":{"note":{"value":"commas, inside, a string, stay, on, their, line, whatever, its, length, is"}},"entity":"urn:ngsi-ld:Device:a","id":"0123456789abcdef0123456789abcdef","observedAt":"2026-11-22T08:00:00.000000Z","type":"Device"}"#
        let wrapped = ConsoleExample.wrap(line)
        XCTAssertGreaterThan(wrapped.count, 1)
        XCTAssertEqual(ConsoleExample.unwrap(wrapped), [line])
        XCTAssertFalse(wrapped[0].hasPrefix(" "))
        XCTAssertTrue(wrapped.dropFirst().allSatisfy { $0.hasPrefix(" ") && !$0.hasPrefix("  ") }, "\(wrapped)")
        XCTAssertEqual(ConsoleExample.wrap("{}"), ["{}"])
    }

    /// The value of `--name` in a command's words.
    private func option(_ name: String, in words: [String]) -> String? {
        guard let index = words.firstIndex(of: "--" + name), index + 1 < words.count else { return nil }
        return words[index + 1]
    }
}
