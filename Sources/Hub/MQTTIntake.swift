import Foundation
import HubCore
import HubMQTT

/// The MQTT door: one persistent-session client subscribed to every MQTT route's filter, handing
/// each message to every route whose filter matches its topic.
final class MQTTIntake: Sendable {
    private let client: MQTTClient
    private let routes: [(filter: TopicFilter, worker: RouteWorker)]

    init(settings: HubConfiguration.MQTT, workers: [RouteWorker], bus: Bus, metrics: HubMetrics, logger: Logger) throws {
        var routes: [(filter: TopicFilter, worker: RouteWorker)] = []
        for worker in workers {
            if case .mqtt(let filter, _) = worker.route.source { routes.append((filter, worker)) }
        }
        self.routes = routes
        let options = MQTTClientOptions(
            host: settings.host, port: settings.port, clientID: settings.clientID,
            username: settings.username, password: settings.password,
            tls: settings.caFile.map { MQTTTLSOptions(caFile: $0, certFile: settings.certFile, keyFile: settings.keyFile) },
            keepAliveSeconds: settings.keepAliveSeconds, cleanSession: false,
            reconnectDelayMinSeconds: settings.reconnectMinSeconds, reconnectDelayMaxSeconds: settings.reconnectMaxSeconds)
        let table = routes
        client = try MQTTClient(options: options, logger: logger, metrics: metrics) { message in
            let envelope = { (route: String) in
                Envelope(route: route, source: .mqtt, origin: message.topic, payload: message.payload,
                         receivedAt: message.receivedAt)
            }
            var routed = false
            for entry in table where entry.filter.matches(message.topic) {
                routed = true
                _ = entry.worker.accept(Delivery(envelope(entry.worker.route.name)))
            }
            if !routed {
                // Cannot happen with the hub's own subscriptions, but a message never vanishes.
                bus.push(Outcome(deadLetter: DeadLetter(
                    envelope: envelope(""), reason: "no route's topic filter matches topic \"\(message.topic)\"")))
            }
        }
        for worker in workers {
            if case .mqtt(let filter, let qos) = worker.route.source { client.subscribe(filter, qos: qos) }
        }
    }

    var isConnected: Bool { client.state == .connected }

    func waitUntilConnected(timeout: Duration) -> Bool { client.waitUntilConnected(timeout: timeout) }

    func start() throws { try client.start() }

    func stop() { client.stop() }
}
