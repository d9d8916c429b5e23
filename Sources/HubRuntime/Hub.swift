import Foundation
import HubCore
import HubFeeds
import HubFolders
import HubHTTP
import HubMQTT
import HubServices
import HubStore
import Synchronization

/// A running hub: the store, its batch writer, one worker per route, and the doors (MQTT, feeds,
/// drop folders, the HTTP server's webhooks) that deliver to the routes, built from a configuration,
/// started together and stopped gracefully.
///
/// A graceful stop loses nothing that was accepted: the doors stop first, each route decodes what
/// it already holds, and the writer commits every outcome on the bus before the store closes.
/// While the store cannot commit, the `IntakeGate` is closed and every door pauses; a stop then
/// waits at most `store.stopTimeoutSeconds` before what the hub holds is spilled beside the
/// database, and the next start commits it first.
public final class Hub: Inbox {
    /// The validated configuration it runs.
    public let configuration: HubConfiguration
    /// Its counters.
    public let metrics: HubMetrics
    /// The store events are written to; readable while the hub runs.
    public let store: any HubDatabase
    /// The compiled-in connectors the routes were built from.
    public let connectors: ConnectorCatalog
    /// The operations HTTP server while it runs (the configuration has an `http` section).
    private let http = Mutex<HTTPServer?>(nil)
    /// Committed events for the live stream.
    public let broadcaster = EventBroadcaster()
    /// Closed while the store cannot commit: every door pauses (see `IntakeGate`).
    public let intakeGate = IntakeGate()
    /// `/readyz`'s real commit, at most every 2 s.
    let writeProbe = WriteProbe(interval: .seconds(2))

    private let bus: Bus
    private let writer: BatchWriter
    private let routeTable: RouteTable
    private let mqtt: MQTTIntake?
    private let journal: ReceiptJournal?
    /// Drains the MQTT sessions of the fleet's hubs that are gone (`mqtt.shareGroup` only).
    let rescue: SessionRescue?
    private let feeds: FeedIntake
    /// Every door, in the order they start and stop.
    private let doors: [any Door]
    private let report: DeadLetterReport
    private let silenceWatch: SilenceWatch
    private let deviceWatch: DeviceWatch
    /// Sweeps a shared store's expired rows while this hub holds the `retention` lease (PostgreSQL
    /// only: the SQLite store sweeps by itself).
    private let retentionSweep: PeriodicTimer?
    /// Feeds the live stream and the alarm rules from the shared store (PostgreSQL only), so that they see every hub's commits.
    private let storeTail: StoreTail?
    /// The leases on the tasks that run on one hub of a fleet at a time (device watch, each feed,
    /// each drop folder); with `LocalLease`, this hub holds them all.
    public let leases: LeaseKeeper
    /// Evaluates `rules[]` on committed events and keeps the alarms (after the commit, never on intake).
    let alarmStage: AlarmStage
    /// Delivers committed events to `subscriptions[]` from the store's outbox (after the commit, never on intake).
    let deliveryStage: DeliveryStage
    private let logger: Logger
    private let state = Mutex<LifecycleState>(.idle)

    private enum LifecycleState { case idle, running, stopped }

    /// Whether `start()` has run and `stop()` has not.
    var isRunning: Bool { state.withLock { $0 == .running } }

    /// Builds every part of the hub; nothing runs until `start()`.
    ///
    /// - Parameters:
    ///   - lease: where the hubs of a fleet agree on who runs each task that must run once; by
    ///     default `openLease(_:)`: the database of `store.postgres`, else `LocalLease`.
    ///   - onCommitted: called on the writer's thread after each committed batch, with the events it
    ///     stored and their sequence numbers (benchmarks measure publish-to-commit latency with it).
    /// - Throws: `SettingsError` for connector settings, `StoreError` when the database cannot be opened,
    ///   `MQTTError` when the MQTT client cannot be set up, `PostgresError` when the lease table cannot be reached.
    public init(
        configuration: HubConfiguration, catalog: ConnectorCatalog = .compiledIn, metrics: HubMetrics = HubMetrics(),
        logger: Logger = Logger(label: "hub"), lease: (any SingletonLease)? = nil,
        onCommitted: (@Sendable (_ stored: [StoredEvent], _ committedAt: Timestamp) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.connectors = catalog
        let lease = try lease ?? Self.openLease(configuration)
        let store = try Self.openStore(configuration.store, logger: logger.withLabel("hub.store"))
        self.store = store
        // What a previous run could not commit before it stopped goes in first.
        store.replaySpills(besideDatabase: configuration.store.path, logger: logger.withLabel("hub.store"))
        bus = Bus(capacity: configuration.queues.busCapacity)
        writer = BatchWriter(
            bus: bus, store: store, maxBatchSize: configuration.store.batchSize,
            maxDelay: configuration.store.batchDelay, metrics: metrics, logger: logger.withLabel("hub.store"),
            gate: intakeGate, spillFile: SpillFile(besideDatabase: configuration.store.path))
        let leases = LeaseKeeper(lease: lease, holder: configuration.hub.name, tasks: Self.singletonTasks(configuration),
                                 duration: configuration.hub.leaseDuration, renewal: configuration.hub.leaseRenewal,
                                 logger: logger.withLabel("hub.leases"))
        self.leases = leases
        let alarmStage = AlarmStage(rules: configuration.rules, store: store, bus: bus,
                                    retentionDays: configuration.store.alarmRetentionDays, gate: leases,
                                    logger: logger.withLabel("hub.alarms"))
        self.alarmStage = alarmStage
        let deliveryStage: DeliveryStage
        do {
            deliveryStage = try DeliveryStage(subscriptions: configuration.subscriptions, store: store, mqtt: configuration.mqtt,
                                          routeNames: Set(configuration.routes.map(\.name)),
                                          environment: ProcessInfo.processInfo.environment, gate: leases, logger: logger)
        } catch {
            try? store.close()
            throw error
        }
        self.deliveryStage = deliveryStage
        let stream = configuration.http != nil ? self.broadcaster : nil
        // On a shared store the stream and the rules follow every hub's commits from the store,
        // not this hub's share.
        let tailsStore = (stream != nil || !configuration.rules.isEmpty) && configuration.store.postgres != nil
        storeTail = tailsStore ? StoreTail(store: store, logger: logger.withLabel("hub.stream")) { stored in
            stream?.publish(stored)
            alarmStage.committed(stored)
        } : nil
        writer.onCommitted = { stored, committedAt in
            if !tailsStore {
                stream?.publish(stored)
                alarmStage.committed(stored)
            }
            deliveryStage.committed(stored)
            onCommitted?(stored, committedAt)
        }
        report = DeadLetterReport(logger: logger.withLabel("hub.deadletters"))
        silenceWatch = SilenceWatch(routes: configuration.routes, metrics: metrics, logger: logger)
        deviceWatch = DeviceWatch(routes: configuration.routes, store: store, bus: bus, gate: leases,
                                  logger: logger.withLabel("hub.devices"))
        retentionSweep = Self.sweepsRetention(configuration.store) ? PeriodicTimer(label: "hub.retention", period: Self.retentionPeriod) : nil
        do {
            var workers: [RouteWorker] = []
            for (index, route) in configuration.routes.enumerated() {
                let connector = try catalog.make(id: route.connector, settings: route.settings, path: "routes[\(index)].settings")
                workers.append(RouteWorker(
                    route: route, connector: connector, capacity: configuration.queues.routeCapacity, bus: bus,
                    metrics: metrics.route(route.name), report: report))
            }
            let routeTable = RouteTable(workers: workers, bus: bus, report: report, intakeGate: intakeGate)
            self.routeTable = routeTable
            let mqttRoutes = configuration.routes.filter { if case .mqtt = $0.source { true } else { false } }
            if let settings = configuration.mqtt, !mqttRoutes.isEmpty {
                // Beside the database: what the hub took from the broker and has not committed.
                let journal = try ReceiptJournal(directory: URL(fileURLWithPath: configuration.store.path + ".mqtt-journal"),
                                                 logger: logger.withLabel("hub.mqtt"))
                self.journal = journal
                mqtt = try MQTTIntake(options: MQTTClientOptions(persistentSession: settings), routes: mqttRoutes,
                                      inbox: routeTable, journal: journal, shareGroup: settings.shareGroup, metrics: metrics,
                                      logger: logger.withLabel("hub.mqtt"))
                rescue = settings.shareGroup == nil ? nil : SessionRescue(
                    lease: lease, holder: configuration.hub.name, ownClientID: settings.clientID,
                    duration: configuration.hub.leaseDuration, renewal: configuration.hub.leaseRenewal,
                    leftovers: Self.rescueJournals(besideStore: configuration.store.path), logger: logger.withLabel("hub.rescue")
                ) { [storePath = configuration.store.path] clientID, onConnectionLost in
                    var options = MQTTClientOptions(persistentSession: settings)
                    options.clientID = clientID
                    let folder = String(clientID.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
                    let journal = try ReceiptJournal(directory: URL(fileURLWithPath: "\(storePath).mqtt-journal-rescue-\(folder)"),
                                                     logger: logger.withLabel("hub.rescue"))
                    // Its own counters: hub_mqtt_connected says how this hub's own session stands.
                    return try MQTTIntake(options: options, routes: mqttRoutes, inbox: routeTable, journal: journal,
                                          shareGroup: settings.shareGroup, metrics: HubMetrics(), logger: logger.withLabel("hub.rescue"),
                                          onConnectionLost: onConnectionLost)
                }
            } else {
                journal = nil
                mqtt = nil
                rescue = nil
            }
            feeds = FeedIntake(routes: configuration.routes, inbox: routeTable, gate: leases, logger: logger.withLabel("hub.feeds"))
            metrics.addProvider(feeds)
            metrics.addProvider(deviceWatch)
            metrics.addProvider(leases)
            if let rescue { metrics.addProvider(rescue) }
            metrics.addProvider(alarmStage)
            metrics.addProvider(deliveryStage)
            metrics.addProvider(BuildInfo())
            metrics.addProvider(ProcessMetrics())
            let folders = FolderIntake(routes: configuration.routes, inbox: routeTable, gate: leases,
                                       logger: logger.withLabel("hub.folders"))
            doors = [mqtt as (any Door)?, feeds, folders].compactMap { $0 }
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Starts the writer, the routes, then the doors and the HTTP server, in that order.
    public func start() throws {
        try state.withLock { state in
            guard state == .idle else { return }
            writer.start()
            // Before the deliveries, the doors and the watch: a lone hub holds every task from its first turn.
            leases.start()
            alarmStage.start()
            deliveryStage.start()
            report.start()
            silenceWatch.start()
            deviceWatch.start()
            storeTail?.start()
            retentionSweep?.start { [store, leases, logger] in
                guard leases.holds(.retention) else { return }
                do {
                    let swept = try store.sweepExpired(now: .now(), sliceSize: 500)
                    logger.info("retention sweep", ["events": String(swept.events), "dead_letters": String(swept.deadLetters),
                                                    "rollups": String(swept.rollups)])
                } catch {
                    logger.warning("retention sweep failed; expired records stay until the next one succeeds", ["error": "\(error)"])
                }
            }
            for worker in routeTable.workers {
                worker.start()
                logger.info("route started", ["route": worker.route.name, "source": worker.route.sourceDescription,
                                              "connector": worker.route.connector])
            }
            state = .running
            for door in doors { try door.start() }
            rescue?.start()
            if let settings = configuration.http {
                // The server holds the runtime through its handler; `stop()` lets go of it.
                let server = HTTPServer(settings: settings, handler: OperationsAPI(
                    hub: self, settings: settings, broadcaster: broadcaster, logger: logger.withLabel("hub.http")),
                    logger: logger.withLabel("hub.http"))
                try server.start()
                http.withLock { $0 = server }
            }
        }
    }

    /// The port the operations HTTP server listens on, nil when it is not running.
    public var httpPort: Int? { http.withLock { $0?.port } }

    /// Delivers a message to the route its envelope names, as the doors do (see `Inbox`).
    public func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission {
        routeTable.deliver(delivery, waitForRoom: waitForRoom)
    }

    /// The status of every feed route's poller (last success, last error, HTTP status, bytes,
    /// duration, events produced), in route order, for the operations API.
    public var feedStatuses: [FeedStatus] { feeds.statuses }

    /// Whether the MQTT intake is connected (true when the hub has no MQTT routes).
    public var isConnected: Bool { mqtt?.isConnected ?? true }

    /// Waits until the MQTT intake is connected, up to `timeout`; true when it is.
    public func waitUntilConnected(timeout: Duration) -> Bool {
        mqtt?.waitUntilConnected(timeout: timeout) ?? true
    }

    /// Stops gracefully: the doors first, then each route drains, then every batch is committed and the
    /// store closed. Returns when all of that is done; calling it again does nothing.
    public func stop() {
        // From here on, a store that still fails gets stopTimeoutSeconds, then what is held is spilled.
        writer.spill(after: .seconds(configuration.store.stopTimeoutSeconds))
        // The HTTP server first and outside the lock: its request threads may be delivering
        // messages and waiting for their commits.
        http.withLock { server in
            defer { server = nil }
            return server
        }?.stop()
        state.withLock { state in
            guard state != .stopped else { return }
            let wasRunning = state == .running
            state = .stopped
            routeTable.beginStopping()
            guard wasRunning else {
                feeds.stop()
                silenceWatch.stop()
                deviceWatch.stop()
                retentionSweep?.stop()
                storeTail?.stop()
                leases.stop()
                report.stop()
                try? store.close()
                return
            }
            logger.info("stopping: intake closed, draining routes and committing batches")
            rescue?.stop()
            for door in doors { door.stop() }
            for worker in routeTable.workers { worker.stop() }
            deviceWatch.stop()
            retentionSweep?.stop()
            storeTail?.stop()
            // Before the bus closes, so that the alarm events of what it evaluated are committed;
            // before the leases go, so that it evaluates what it was given.
            alarmStage.stop()
            // The tasks have stopped: another hub of the fleet takes them at its next renewal.
            leases.stop()
            bus.close()
            writer.stop()
            journal?.flush()
            // What it has not delivered stays in the outbox for the next start.
            deliveryStage.stop()
            report.stop()
            silenceWatch.stop()
            do {
                try store.close()
            } catch {
                logger.error("closing the store failed", ["error": "\(error)"])
            }
            for worker in routeTable.workers {
                let route = metrics.route(worker.route.name)
                logger.info("route totals", [
                    "route": worker.route.name, "received": String(route.received.value),
                    "events": String(route.eventsStored.value), "dead_letters": String(route.deadLetters.value),
                ])
            }
            logger.info("stopped", ["batches": String(metrics.batchesCommitted.value)])
        }
    }

    /// The tasks of a configuration that must run on one hub of a fleet at a time: the device watch
    /// when a route declares a device interval, the retention of a shared store, each feed's
    /// polling, each drop folder's scanning;
    /// and, on a shared subscription, the hub's own MQTT session (held while it lives, see `SessionRescue`).
    static func singletonTasks(_ configuration: HubConfiguration) -> [SingletonTask] {
        let routes = configuration.routes
        var tasks: [SingletonTask] = routes.contains { $0.deviceInterval != nil } ? [.deviceWatch] : []
        if sweepsRetention(configuration.store) { tasks.append(.retention) }
        if !configuration.rules.isEmpty { tasks.append(.alarms) }
        // On a shared store, subscriptions may come from any hub's API: one hub sends every outbox.
        if !configuration.subscriptions.isEmpty || configuration.store.postgres != nil { tasks.append(.deliveries) }
        if let mqtt = configuration.mqtt, mqtt.shareGroup != nil,
           routes.contains(where: { if case .mqtt = $0.source { true } else { false } }) {
            tasks.append(.session(mqtt.clientID))
        }
        for route in routes {
            switch route.source {
            case .feed: tasks.append(.feed(route.name))
            case .folder: tasks.append(.folder(route.name))
            case .mqtt, .webhook: break
            }
        }
        return tasks
    }

    /// The client ids of the rescue journals beside the store (`<store.path>.mqtt-journal-rescue-<client id>`).
    static func rescueJournals(besideStore path: String) -> [String] {
        let store = URL(fileURLWithPath: path)
        let prefix = store.lastPathComponent + ".mqtt-journal-rescue-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    deinit {
        stop()
    }
}
