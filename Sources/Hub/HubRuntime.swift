import Foundation
import HubCore
import HubFeeds
import HubHTTP
import HubMQTT
import HubStore
import Synchronization

/// A running hub: the store, its batch writer, one worker per route, the MQTT and drop-folder intakes, built
/// from a configuration, started together and stopped gracefully.
///
/// A graceful stop loses nothing that was accepted: intake stops first, each route decodes what
/// it already holds, and the writer commits every outcome on the bus before the store closes.
public final class HubRuntime: Sendable {
    /// The validated configuration it runs.
    public let configuration: HubConfiguration
    /// Its counters.
    public let metrics: HubMetrics
    /// The store events are written to; readable while the hub runs.
    public let store: SQLiteStore
    /// The compiled-in connectors the routes were built from.
    public let connectors: ConnectorCatalog
    /// The operations HTTP server while it runs (the configuration has an `http` section).
    private let http = Mutex<HTTPServer?>(nil)
    /// Committed events for the live stream.
    public let broadcaster = EventBroadcaster()

    private let bus: Bus
    private let writer: BatchWriter
    private let workers: [RouteWorker]
    private let intake: MQTTIntake?
    private let feeds: FeedIntake
    private let folderIntake: FolderIntake
    private let report: DeadLetterReport
    private let silenceWatch: SilenceWatch
    private let deviceWatch: DeviceWatch
    private let logger: Logger
    private let state = Mutex<LifecycleState>(.idle)

    private enum LifecycleState { case idle, running, stopped }

    /// Whether `start()` has run and `stop()` has not.
    var isRunning: Bool { state.withLock { $0 == .running } }

    /// Builds every part of the hub; nothing runs until `start()`.
    ///
    /// - Parameters:
    ///   - onCommitted: called on the writer's thread after each committed batch, with its events
    ///     (benchmarks measure publish-to-commit latency with it).
    /// - Throws: `SettingsError` for connector settings, `StoreError` when the database cannot be opened,
    ///   `MQTTError` when the MQTT client cannot be set up.
    public init(
        configuration: HubConfiguration, catalog: ConnectorCatalog = .compiledIn, metrics: HubMetrics = HubMetrics(),
        logger: Logger = Logger(label: "hub"),
        onCommitted: (@Sendable (_ events: [Event], _ committedAt: Timestamp) -> Void)? = nil
    ) throws {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.connectors = catalog
        let store = try SQLiteStore(
            path: configuration.store.path,
            options: SQLiteStore.Options(synchronous: configuration.store.synchronousFull ? .full : .normal),
            logger: logger.withLabel("hub.store"))
        self.store = store
        bus = Bus(capacity: configuration.queues.busCapacity)
        writer = BatchWriter(
            bus: bus, store: store, maxBatchSize: configuration.store.batchSize,
            maxDelay: configuration.store.batchDelay, metrics: metrics, logger: logger.withLabel("hub.store"))
        if configuration.http != nil {
            writer.onCommitted = { [broadcaster] events, committedAt in
                broadcaster.publish(events)
                onCommitted?(events, committedAt)
            }
        } else {
            writer.onCommitted = onCommitted
        }
        report = DeadLetterReport(logger: logger.withLabel("hub.deadletters"))
        silenceWatch = SilenceWatch(routes: configuration.routes, metrics: metrics, logger: logger)
        deviceWatch = DeviceWatch(routes: configuration.routes, store: store, bus: bus, logger: logger.withLabel("hub.devices"))
        do {
            var workers: [RouteWorker] = []
            for (index, route) in configuration.routes.enumerated() {
                let connector = try catalog.make(id: route.connector, settings: route.settings, path: "routes[\(index)].settings")
                workers.append(RouteWorker(
                    route: route, connector: connector, capacity: configuration.queues.routeCapacity, bus: bus,
                    metrics: metrics.route(route.name), report: report))
            }
            self.workers = workers
            let mqttWorkers = workers.filter { if case .mqtt = $0.route.source { true } else { false } }
            if let mqtt = configuration.mqtt, !mqttWorkers.isEmpty {
                intake = try MQTTIntake(
                    settings: mqtt, workers: mqttWorkers, bus: bus, metrics: metrics, logger: logger.withLabel("hub.mqtt"))
            } else {
                intake = nil
            }
            feeds = FeedIntake(workers: workers, logger: logger.withLabel("hub.feeds"))
            metrics.addProvider(feeds)
            folderIntake = FolderIntake(workers: workers, bus: bus, logger: logger.withLabel("hub.folders"))
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Starts the writer, the routes and the intake, in that order.
    public func start() throws {
        try state.withLock { state in
            guard state == .idle else { return }
            writer.start()
            report.start()
            silenceWatch.start()
            deviceWatch.start()
            for worker in workers {
                worker.start()
                logger.info("route started", ["route": worker.route.name, "source": worker.route.sourceDescription,
                                              "connector": worker.route.connector])
            }
            state = .running
            try intake?.start()
            feeds.start()
            folderIntake.start()
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

    /// Hands a message to the route it names, waiting while the route's queue is full (a poller,
    /// a drop folder, a benchmark). `onCommit` is called once its outcome is committed.
    /// Returns false when no such route exists or the hub is stopping.
    @discardableResult
    public func submit(_ envelope: Envelope, onCommit: (@Sendable (_ disposition: Delivery.Disposition) -> Void)? = nil) -> Bool {
        guard let worker = worker(named: envelope.route) else { return false }
        return worker.accept(Delivery(envelope, onCommit: onCommit))
    }

    /// What became of a message offered without waiting.
    public enum OfferResult: Sendable, Equatable {
        /// Queued; its `onCommit` will be called.
        case accepted
        /// The route's queue is full: the sender should retry later (a webhook answers 503).
        case saturated
        /// No route has that name.
        case unknownRoute
        /// The hub is stopping and takes nothing more.
        case stopping
    }

    /// Hands a message to the route it names only if the route has room now, as a webhook does.
    public func offer(_ envelope: Envelope, onCommit: (@Sendable (_ disposition: Delivery.Disposition) -> Void)? = nil) -> OfferResult {
        guard let worker = worker(named: envelope.route) else { return .unknownRoute }
        guard state.withLock({ $0 }) != .stopped else { return .stopping }
        if worker.offer(Delivery(envelope, onCommit: onCommit)) { return .accepted }
        return worker.isStopping ? .stopping : .saturated
    }

    private func worker(named name: String) -> RouteWorker? {
        workers.first { $0.route.name == name }
    }

    /// The status of every feed route's poller (last success, last error, HTTP status, bytes,
    /// duration, events produced), in route order, for the operations API.
    public var feedStatuses: [FeedStatus] { feeds.statuses }

    /// Whether the MQTT intake is connected (true when the hub has no MQTT routes).
    public var isConnected: Bool { intake?.isConnected ?? true }

    /// Waits until the MQTT intake is connected, up to `timeout`; true when it is.
    public func waitUntilConnected(timeout: Duration) -> Bool {
        intake?.waitUntilConnected(timeout: timeout) ?? true
    }

    /// Stops gracefully: intake first, then each route drains, then every batch is committed and the
    /// store closed. Returns when all of that is done; calling it again does nothing.
    public func stop() {
        // The HTTP server first and outside the lock: its request threads may be offering
        // messages (which reads the state) and waiting for their commits.
        http.withLock { server in
            defer { server = nil }
            return server
        }?.stop()
        state.withLock { state in
            guard state != .stopped else { return }
            let wasRunning = state == .running
            state = .stopped
            guard wasRunning else {
                feeds.stop()
                silenceWatch.stop()
                deviceWatch.stop()
                report.stop()
                try? store.close()
                return
            }
            logger.info("stopping: intake closed, draining routes and committing batches")
            intake?.stop()
            feeds.stop()
            folderIntake.stop()
            for worker in workers { worker.stop() }
            deviceWatch.stop()
            bus.close()
            writer.stop()
            report.stop()
            silenceWatch.stop()
            do {
                try store.close()
            } catch {
                logger.error("closing the store failed", ["error": "\(error)"])
            }
            for worker in workers {
                let route = metrics.route(worker.route.name)
                logger.info("route totals", [
                    "route": worker.route.name, "received": String(route.received.value),
                    "events": String(route.eventsStored.value), "dead_letters": String(route.deadLetters.value),
                ])
            }
            logger.info("stopped", ["batches": String(metrics.batchesCommitted.value)])
        }
    }

    deinit {
        stop()
    }
}
