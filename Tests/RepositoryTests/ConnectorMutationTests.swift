import Foundation
import HubCore
import HubRuntime
import HubServices
import HubTesting
import XCTest

/// Every compiled-in connector fed thousands of seeded mutations of its own sample (the one its
/// README's example decodes, with the same settings and topic): each input ends as events or as
/// an error, never a crash, never longer than a second, and memory does not grow with them. The
/// seed is fixed, so a failure is reproduced by running the test again; `scripts/fuzz` runs the
/// same connectors under libFuzzer for millions of inputs. Inputs libFuzzer once crashed on are in
/// `Fuzz/Crashers/<connector id>/` and are replayed here first.
final class ConnectorMutationTests: XCTestCase {
    static let mutationsPerConnector = 2_000

    func testEveryConnectorSurvivesMutationsOfItsSample() throws {
        let folders = Dictionary(grouping: try ConnectorFolder.all().filter { $0.id != nil }) { $0.id ?? "" }
        var tried: [String: Int] = [:]
        for id in ConnectorCatalog.compiledIn.ids {
            guard let folder = folders[id]?.first, let readme = folder.readme else {
                XCTFail("\(id) has no connector folder")  // ConnectorSampleTests says more
                continue
            }
            let example = try ConsoleExample(readme: readme)
            let harness = try Harness(id: id, example: example)
            var random = SeededGenerator(seed: UInt64(truncatingIfNeeded: id.utf8.reduce(5381) { ($0 << 5) &+ $0 &+ Int($1) }))
            let residentBefore = Self.residentBytes()
            for crasher in try Self.crashers(of: id) {
                try harness.decode(Array(crasher), label: "crasher")
            }
            for index in 0..<Self.mutationsPerConnector {
                try harness.decode(Mutation.apply(to: harness.sample, using: &random), label: "mutation \(index)")
            }
            let growth = Self.residentBytes() - residentBefore
            XCTAssertLessThan(growth, 256 << 20, "\(id): resident memory grew by \(growth >> 20) MiB over \(Self.mutationsPerConnector) inputs")
            tried[id] = harness.decoded + harness.refused
            XCTAssertGreaterThan(harness.refused, 0, "\(id): no mutation was refused, so none reached the checks")
        }
        XCTAssertEqual(Set(tried.keys), Set(ConnectorCatalog.compiledIn.ids))
    }

    /// The inputs under `Fuzz/Crashers/<id>/`, if any.
    static func crashers(of id: String) throws -> [Data] {
        let folder = Repository.root.appendingPathComponent("Fuzz/Crashers/\(id)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return try names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
            .map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    /// This process's resident set, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// One connector as its README's example runs it: its settings, its sample, its topic.
private final class Harness {
    let id: String
    let sample: [UInt8]
    let topic: String?
    var connector: any Connector
    var decoded = 0
    var refused = 0

    init(id: String, example: ConsoleExample) throws {
        self.id = id
        let arguments = example.arguments
        guard arguments.count >= 3, arguments[0] == "decode", arguments[1] == id else {
            throw RepositoryError("\(id): the README example is not \"hub decode \(id) FILE ...\": \(example.command)")
        }
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: "--\(name)").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        sample = Array(try Data(contentsOf: Repository.root.appendingPathComponent(arguments[2])))
        topic = option("topic")
        let settings = try option("settings").map { try JSONValue(parsing: Data(contentsOf: Repository.root.appendingPathComponent($0))) }
        connector = try ConnectorCatalog.compiledIn.make(id: id, settings: settings ?? .object([:]))
    }

    func decode(_ bytes: [UInt8], label: String) throws {
        let envelope = Envelope(route: "mutation", source: topic == nil ? .file : .mqtt, origin: topic ?? "sample",
                                payload: Data(bytes), receivedAt: Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000))
        let start = DispatchTime.now()
        do {
            _ = try connector.decode(envelope)
            decoded += 1
        } catch let error as ConnectorError {
            XCTAssertFalse(error.message.isEmpty, "\(id), \(label): refused without a reason")
            refused += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        XCTAssertLessThan(seconds, 1, "\(id), \(label): one input took \(seconds) s: \(Data(bytes).base64EncodedString())")
    }
}

/// Byte-level mutations of a valid input, the way fuzzers make them: flips, insertions,
/// deletions, repeats, truncation, and tokens that break parsers.
enum Mutation {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ",", ":", "<", ">", "</", "/>", "&", "&amp;", "]]>", "\\", "\\u0000", "\0", "-", "-1", "0",
        "1e309", "-1e309", "NaN", "null", "true", "99999999999999999999", "0.0000001", "%PDF-", "endobj", "stream", "\u{FF}",
    ].map { Array($0.utf8) } + [[0xFF, 0xFE], [0xC3], [0xED, 0xA0, 0x80], [0x80], [0x08, 0x96, 0x01]]

    static func apply(to original: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            guard !bytes.isEmpty else { return Array(tokens.randomElement(using: &random)!) }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 2: bytes.insert(contentsOf: tokens.randomElement(using: &random)!, at: at)
            case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...32, using: &random)))
            case 4:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &random))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: Int.random(in: 0...bytes.count, using: &random))
            case 5: bytes.removeSubrange(at...)
            default:
                let token = tokens.randomElement(using: &random)!
                bytes.replaceSubrange(at..<min(bytes.count, at + token.count), with: token)
            }
        }
        return bytes
    }
}
