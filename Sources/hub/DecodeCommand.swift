import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// `hub decode`: runs one payload through a connector and prints its events as JSON lines, or the
/// reason the hub would keep it as a dead letter (exit status 1).
enum DecodeCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["settings", "topic"])
        guard arguments.positionals.count == 2 else { throw UsageError("decode needs CONNECTOR and FILE") }
        let (id, file) = (arguments.positionals[0], arguments.positionals[1])
        let settings = try arguments.option("settings").map { try JSONValue(parsing: $0) } ?? .object([:])
        var connector = try ConnectorCatalog.compiledIn.make(id: id, settings: settings, path: "--settings")
        let payload = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let envelope = Envelope(
            route: "decode", source: arguments.option("topic") == nil ? .file : .mqtt,
            origin: arguments.option("topic") ?? file, payload: payload, receivedAt: .now())
        do {
            for event in try connector.decode(envelope) { Output.line(event.jsonLine) }
            return 0
        } catch {
            Output.error("dead letter: \(error)")
            return 1
        }
    }
}
