import Foundation
import Hub
import HubCore

/// The `hub` command: dispatches to its subcommands and turns their errors into exit codes.
enum HubCommandLine {
    static let usage = """
        usage: hub <command> [options]

          run [--config FILE] [--log-level LEVEL]     run until SIGINT/SIGTERM, then stop gracefully
          check --config FILE                         validate a configuration and print its routes
          connectors                                  list the compiled-in connectors
          devices [--config FILE]                     list the devices heard from: last seen, messages,
                                                      last RSSI, active or inactive
          decode CONNECTOR FILE [--settings JSON] [--topic T]
                                                      run one payload through a connector, print events
                                                      as JSON lines (exit 1 if it would be a dead letter)
          bench [--events N] [--messages N] [--mqtt-host H] [--mqtt-port P]
                                                      measure throughput against baselines
          simulate [--host H] [--port P] [--devices N] [--rate R] [--duration S] [--count N]
                   [--formats ttn,chirpstack,senml,json,iota-json,iota-ul] [--malformed SHARE] [--seed N] [--silent N]
                                                      publish a fleet of field gateways' traffic (QoS 1),
                                                      print a JSON line of exact counts per format

        The default configuration is config/hub.json. Log levels: trace, debug, info, notice, warning, error.
        """

    static func run(_ words: [String]) -> Int32 {
        guard let command = words.first else {
            Output.error(usage)
            return 2
        }
        let rest = Array(words.dropFirst())
        do {
            switch command {
            case "run": return try RunCommand.run(rest)
            case "check": return try CheckCommand.run(rest)
            case "connectors": return try ConnectorsCommand.run(rest)
            case "decode": return try DecodeCommand.run(rest)
            case "bench": return try BenchCommand.run(rest)
            case "simulate": return try SimulateCommand.run(rest)
            case "devices": return try DevicesCommand.run(rest)
            case "help", "--help", "-h":
                Output.line(usage)
                return 0
            default:
                Output.error("unknown command \"\(command)\"\n\n\(usage)")
                return 2
            }
        } catch let error as UsageError {
            Output.error("hub \(command): \(error)\n\n\(usage)")
            return 2
        } catch {
            Output.error("hub \(command): \(error)")
            return 2
        }
    }

    /// Sets the process-wide log level from `--log-level` (info by default).
    static func bootstrapLogging(_ arguments: Arguments) throws {
        let name = arguments.option("log-level") ?? "info"
        guard let level = LogLevel(name: name) else {
            throw UsageError("unknown log level \"\(name)\"; known: \(LogLevel.allCases.map(\.description).joined(separator: ", "))")
        }
        LoggingSystem.bootstrap(level: level)
    }

    /// Loads the configuration named by `--config`, or config/hub.json.
    static func loadConfiguration(_ arguments: Arguments) throws -> HubConfiguration {
        let path = arguments.option("config") ?? "config/hub.json"
        return try HubConfiguration.load(
            contentsOf: URL(fileURLWithPath: path), environment: ProcessInfo.processInfo.environment,
            catalog: .compiledIn)
    }
}

/// Writes to standard output and standard error through FileHandle (Glibc's stdout/stderr
/// globals are not concurrency-safe).
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
