import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// `hub check`: validates a configuration (connectors and their settings included) and prints its
/// routes, rules and subscriptions.
enum CheckCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["config"])
        let configuration: HubConfiguration
        do {
            configuration = try HubCommand.loadConfiguration(arguments)
        } catch let error as SettingsError {
            Output.error("invalid configuration: \(error)")
            return 1
        }
        var rows = [["ROUTE", "SOURCE", "CONNECTOR"]]
        for route in configuration.routes {
            rows.append([route.name, route.sourceDescription, route.connector])
        }
        Output.line(TextTable.render(rows))
        for route in configuration.routes {
            guard let openData = route.openData else { continue }
            Output.line("open data: \(route.name)\(route.isRestricted ? " (restricted: only for read:\(route.name))" : ""), licence \(openData.licence.absoluteString), attribution \"\(openData.attribution)\"")
        }
        let leaseSeconds = Int(configuration.hub.leaseDuration.timeInterval)
        let renewalSeconds = Int(configuration.hub.leaseRenewal.timeInterval)
        Output.line("hub: \(configuration.hub.name) (leases of \(leaseSeconds) s renewed every \(renewalSeconds) s: a dead hub's tasks move within \(leaseSeconds + renewalSeconds) s)")
        if let mqtt = configuration.mqtt {
            Output.line("mqtt: \(mqtt.host):\(mqtt.port) MQTT \(mqtt.protocolVersion.rawValue) client id \(mqtt.clientID)\(mqtt.caFile == nil ? "" : " (TLS)")")
            if let group = mqtt.shareGroup {
                Output.line("mqtt: shared subscriptions in group \(group): each route's filter is subscribed as $share/\(group)/<filter>")
            }
        }
        let milliseconds = Int(configuration.store.batchDelay.timeInterval * 1000)
        let storeName = configuration.store.postgres.map { "PostgreSQL \($0.redacted), local files \(configuration.store.path)" }
            ?? configuration.store.path
        Output.line("store: \(storeName) (batches of \(configuration.store.batchSize) records or \(milliseconds) ms)")
        let walCap = configuration.store.postgres == nil ? "; write-ahead log capped at \(configuration.store.walLimitBytes >> 20) MB" : ""
        Output.line("store failures: a stop waits \(configuration.store.stopTimeoutSeconds) s for a failing store, then spills what it holds beside the database\(walCap)")
        Output.line("retention: \(configuration.store.retention.summary(routes: configuration.routes.map(\.name)))")
        for rule in configuration.rules {
            let watched = [rule.routes.sorted().joined(separator: ", "), rule.types.sorted().joined(separator: ", "), rule.entityPattern ?? ""]
                .filter { !$0.isEmpty }.joined(separator: "; ")
            Output.line("rule \(rule.name) (\(rule.severity.rawValue)): \(rule.summary)\(watched.isEmpty ? "" : " on \(watched)")")
        }
        for subscription in configuration.subscriptions {
            Output.line("subscription \(subscription.name): \(Self.describe(subscription))")
        }
        Output.line("configuration is valid: \(configuration.routes.count) route(s), \(configuration.rules.count) rule(s)")
        return 0
    }

    /// `POST https://partner.example/hook (signed), 100 per batch, at most 100000 waiting (pause)`.
    static func describe(_ subscription: Subscription) -> String {
        let target: String
        switch subscription.target {
        case .http(let http): target = "POST \(SecretRedaction.url(http.url)) (\(http.secret == nil ? "unsigned" : "signed"))"
        case .mqtt(let mqtt): target = "MQTT \(mqtt.topic)\(mqtt.retain ? " (retained)" : "")"
        }
        return "\(target), \(subscription.batchSize) per batch, at most \(subscription.maxLag) waiting (\(subscription.onLagLimit.rawValue))"
    }
}
