import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices
import HubStore

/// `hub devices`: lists the device registry of the configured store: every device heard from, its
/// route, first and last message, message count, last RSSI, and whether it is silent.
enum DevicesCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["config"])
        let configuration = try HubCommand.loadConfiguration(arguments)
        let path = configuration.store.path
        guard configuration.store.postgres != nil || FileManager.default.fileExists(atPath: path) else {
            Output.line("no store at \(path) yet: no device heard from")
            return 0
        }
        let store = try Hub.openStore(configuration.store,
                                      logger: Logger(label: "hub.devices", level: .warning, sink: StandardErrorLogSink()))
        defer { try? store.close() }
        let devices = try store.devices()
        var rows = [["DEVICE", "ROUTE", "FIRST SEEN", "LAST SEEN", "MESSAGES", "LAST RSSI", "STATUS"]]
        for device in devices {
            rows.append([
                device.device, device.route, device.firstSeen.iso8601, device.lastSeen.iso8601, String(device.messageCount),
                device.lastRSSI.map { JSONValue.number($0).jsonText } ?? "-",
                device.inactiveSince.map { "inactive since \($0.iso8601)" } ?? "active",
            ])
        }
        Output.line(TextTable.render(rows))
        let inactive = devices.filter { $0.inactiveSince != nil }.count
        Output.line("\(devices.count) device(s), \(inactive) inactive")
        return 0
    }
}
