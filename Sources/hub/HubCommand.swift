import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// The `hub` command: dispatches to its subcommands and turns their errors into exit codes. A command
/// it does not know, `hub X`, runs the executable `hub-X` beside it when there is one, as git does:
/// `hub bench` is `hub-bench`, built separately so that `hub` links no benchmark code.
enum HubCommand {
    static let usage = """
        usage: hub <command> [options]

          run [--config FILE] [--log-level LEVEL]     run until SIGINT/SIGTERM, then stop gracefully
          check --config FILE                         validate a configuration and print its routes
          connectors                                  list the compiled-in connectors
          devices [--config FILE]                     list the devices heard from: last seen, messages,
                                                      last RSSI, active or inactive
          demo [--config config/demo.json] [--assets demo] [--http-port P] [--mqtt-port P] [--devices N] [--rate R]
                                                      a living territory offline: simulated sensors, partner
                                                      feeds replayed live, invoices dropped in (needs a broker)
          token create --name NAME --scopes read,admin[,validate,read:ROUTE,ingest:ROUTE] [--expires 90d] [--config FILE]
          token list [--config FILE]                  the store's access tokens: scopes, expiry, last use
          token revoke NAME [--config FILE]           refuse a token from the next request on
          decode CONNECTOR FILE [--settings JSON|FILE] [--topic T] [--received-at ISO8601]
                                                      run one payload through a connector, print events
                                                      as JSON lines (exit 1 if it would be a dead letter);
                                                      settings are JSON text or a file holding it,
                                                      the receiving time is now unless given
          validate FILE... [--format text|json]       judge e-invoices (UBL, CII, Factur-X PDF; - for standard
                                                      input) against EN 16931: every rule broken, its value and
                                                      where; exit 0 if all conform, 1 if one does not
          bench [validation] [--events N] [--messages N] [--mqtt-host H] [--mqtt-port P]
                                                      measure throughput against baselines (runs hub-bench;
                                                      validation: the hub beside the official EN 16931 XSLT)
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
            case "validate": return try ValidateCommand.run(rest)
            case "simulate": return try SimulateCommand.run(rest)
            case "devices": return try DevicesCommand.run(rest)
            case "token": return try TokenCommand.run(rest)
            case "demo": return try DemoCommand.run(rest)
            case "help", "--help", "-h":
                Output.line(usage)
                return 0
            default:
                runSibling("hub-\(command)", rest)
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

    /// Replaces this process with the executable `name` from this executable's folder, when there
    /// is one; returns only when there is none (or it cannot be run).
    static func runSibling(_ name: String, _ arguments: [String]) {
        guard let folder = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() else { return }
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else { return }
        var argv = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        for pointer in argv { free(pointer) }
        Output.error("hub: cannot run \(path): \(String(cString: strerror(errno)))")
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
