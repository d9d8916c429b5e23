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
        try arguments.rejectUnknownOptions(["settings", "topic", "received-at"])
        guard arguments.positionals.count == 2 else { throw UsageError("decode needs CONNECTOR and FILE") }
        let (id, file) = (arguments.positionals[0], arguments.positionals[1])
        let settings = try arguments.option("settings").map(readSettings) ?? .object([:])
        let receivedAt = try arguments.option("received-at").map(readTime) ?? .now()
        var connector = try ConnectorCatalog.compiledIn.make(id: id, settings: settings, path: "--settings")
        let payload = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let envelope = Envelope(
            route: "decode", source: arguments.option("topic") == nil ? .file : .mqtt,
            origin: arguments.option("topic") ?? file, payload: payload, receivedAt: receivedAt)
        do {
            for event in try connector.decode(envelope) { Output.line(event.jsonLine) }
            return 0
        } catch {
            Output.error("dead letter: \(error)")
            return 1
        }
    }

    /// `--settings`: JSON text when it starts with `{`, else the path of a file holding it.
    static func readSettings(_ text: String) throws -> JSONValue {
        let isJSON = text.drop(while: \.isWhitespace).hasPrefix("{")
        let data: Data
        if isJSON {
            data = Data(text.utf8)
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: text))
            } catch {
                throw SettingsError(path: "--settings", message: "cannot read the file \"\(text)\" (give JSON text starting with { or the path of a file holding it)")
            }
        }
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw SettingsError(path: "--settings", message: isJSON ? "\(error)" : "the file \"\(text)\" does not hold JSON: \(error)")
        }
    }

    /// `--received-at`: the envelope's receiving time, ISO 8601 with a zone.
    static func readTime(_ text: String) throws -> Timestamp {
        guard let time = Timestamp(iso8601: text) else {
            throw UsageError("--received-at \"\(text)\" is not an ISO 8601 date-time with a zone, like 2026-11-22T08:00:02.5Z")
        }
        return time
    }
}
