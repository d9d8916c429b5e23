#if HUB_FUZZING
import CLibFuzzer
#endif
import Foundation
import HubCore
import HubRuntime
import HubServices

/// One compiled-in connector fed arbitrary bytes, for libFuzzer (`scripts/fuzz`) and for
/// replaying inputs by hand. The connector, its settings and the topic come from the environment:
/// `HUB_FUZZ_CONNECTOR` (an id such as `sensors.json`), `HUB_FUZZ_SETTINGS` (a settings file),
/// `HUB_FUZZ_TOPIC` (the MQTT topic, when the connector reads it).
///
/// Any outcome but a crash is a pass: events, or an error (a dead letter with its reason).
enum FuzzTarget {
    /// The connector under test, made once; decoding goes through it as a route's worker would,
    /// so state it keeps between messages (duplicate registers, last positions) is fuzzed too.
    nonisolated(unsafe) static var connector: any Connector = makeConnector()
    static let topic = ProcessInfo.processInfo.environment["HUB_FUZZ_TOPIC"]
    static let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    static func makeConnector() -> any Connector {
        let environment = ProcessInfo.processInfo.environment
        guard let id = environment["HUB_FUZZ_CONNECTOR"] else {
            fatalError("set HUB_FUZZ_CONNECTOR to a connector id: \(ConnectorCatalog.compiledIn.ids.joined(separator: ", "))")
        }
        do {
            let settings = try environment["HUB_FUZZ_SETTINGS"].map { try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: $0))) }
            return try ConnectorCatalog.compiledIn.make(id: id, settings: settings ?? .object([:]), path: "HUB_FUZZ_SETTINGS")
        } catch {
            fatalError("cannot make \(id): \(error)")
        }
    }

    /// Decodes one input; returns whether it became events.
    @discardableResult
    static func decode(_ payload: Data) -> Bool {
        let envelope = Envelope(route: "fuzz", source: topic == nil ? .file : .mqtt, origin: topic ?? "fuzz-input",
                                payload: payload, receivedAt: receivedAt)
        return (try? connector.decode(envelope)) != nil
    }
}

/// Decodes one input for libFuzzer.
private func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.decode(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

/// Under libFuzzer (built with `-sanitize=fuzzer,address -DHUB_FUZZING`), runs its driver with
/// the command line (`-runs=`, corpus folders, ...); otherwise decodes each file named on the
/// command line, to replay a crasher under a debugger or check a corpus, and says what became of it.
@main
struct HubFuzz {
    static func main() {
        #if HUB_FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzOneInput($0, $1) })
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let payload = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                continue
            }
            print("\(path): \(FuzzTarget.decode(payload) ? "events" : "refused")")
        }
        #endif
    }
}
