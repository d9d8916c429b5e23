import Foundation
import HubCore
import HubPostgres
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// What the contract suites call on a store, whichever backend: `Store` and the reads they check
/// the writes with.
protocol ContractStore: Store, DeviceRegistryReading, DocumentReading, DeadLetterKeeping, DeliveryOutbox, StoreUpkeep {
    func eventCount() throws -> Int
    func event(id: EventID) throws -> Event?
    func recentEvents(entity: String?, type: String?, route: String?, limit: Int) throws -> [Event]
    func events(matching filter: EventFilter, after: Int64, limit: Int) throws -> [StoredEvent]
    func latest(entity: String) throws -> Event?
    func series(entity: String, attribute: String, step: SeriesStep, from: Timestamp, to: Timestamp) throws -> [SeriesPoint]
}

extension SQLiteStore: ContractStore {}
extension PostgresStore: ContractStore {}

extension ContractStore {
    /// The most recently stored events, newest first, of `entity`, `type` and `route` when given.
    func recent(entity: String? = nil, type: String? = nil, route: String? = nil, limit: Int) throws -> [Event] {
        try recentEvents(entity: entity, type: type, route: route, limit: limit)
    }
}

/// The options the contract suites open a store with, whichever backend.
struct StoreTestOptions {
    var retention = RetentionPolicy()
}

/// One database of one backend for one test: `open` opens (or opens again) the same database.
protocol StoreBackend {
    func open(_ options: StoreTestOptions, logger: Logger) throws -> any ContractStore
    /// Runs SQL on the test's database beside `store` (to break or inspect it).
    func run(_ sql: String, beside store: any ContractStore) throws
    func cleanUp()
}

/// An SQLite file in a temporary folder.
final class SQLiteBackend: StoreBackend {
    let directory: URL

    init() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-store")
    }

    func open(_ options: StoreTestOptions, logger: Logger) throws -> any ContractStore {
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                        options: SQLiteStore.Options(retention: options.retention, retentionPeriod: .seconds(3600)), logger: logger)
    }

    func run(_ sql: String, beside store: any ContractStore) throws {
        let store = try XCTUnwrap(store as? SQLiteStore)
        try store.withWriteConnection { try $0.execute(script: sql) }
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A fresh database on a test cluster, copied from its migrated template.
final class PostgresBackend: StoreBackend {
    let url: String
    private let cluster: PostgresTestCluster
    private let name: String

    init(cluster: PostgresTestCluster) throws {
        self.cluster = cluster
        name = "test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try cluster.server.createDatabase(name, template: PostgresTestCluster.template)
        url = cluster.server.url(database: name)
    }

    func open(_ options: StoreTestOptions, logger: Logger) throws -> any ContractStore {
        try PostgresStore(url: url, options: PostgresStore.Options(retention: options.retention), logger: logger)
    }

    func run(_ sql: String, beside store: any ContractStore) throws {
        try PostgresConnection(url: url).run(script: sql)
    }

    func cleanUp() {
        try? cluster.server.dropDatabase(name)
    }
}

/// One PostgreSQL server for a test class, with a template database migrated once, so that each
/// test starts from a copy (`CREATE DATABASE ... TEMPLATE`, milliseconds).
final class PostgresTestCluster: Sendable {
    static let template = "hub_template"
    let server: PostgresServer

    init() throws {
        server = try PostgresServer()
        try server.createDatabase(Self.template)
        let store = try PostgresStore(url: server.url(database: Self.template), logger: Logger(label: "test"))
        try store.close()
    }
}

/// A test case whose store comes from `makeBackend()`: SQLite here; a PostgreSQL subclass overrides it.
class StoreBackendTestCase: XCTestCase {
    let logs = CapturedLog()
    private(set) var backend: (any StoreBackend)!

    /// The backend each test opens its stores on.
    func makeBackend() throws -> any StoreBackend { try SQLiteBackend() }

    override func setUpWithError() throws {
        try super.setUpWithError()
        backend = try makeBackend()
    }

    override func tearDownWithError() throws {
        backend?.cleanUp()
        backend = nil
        try super.tearDownWithError()
    }

    /// Opens (again) the test's database.
    func openStore(_ options: StoreTestOptions = StoreTestOptions()) throws -> any ContractStore {
        try backend.open(options, logger: logs.logger(label: "hub.store"))
    }
}

/// Starts one PostgreSQL per test class that runs a contract suite on it.
enum PostgresClusters {
    nonisolated(unsafe) private static var clusters: [ObjectIdentifier: PostgresTestCluster] = [:]
    private static let lock = NSLock()

    /// Starts the cluster of `testClass`.
    static func start(for testClass: AnyClass) {
        lock.withLock { clusters[ObjectIdentifier(testClass)] = try? PostgresTestCluster() }
    }

    /// Stops it.
    static func stop(for testClass: AnyClass) {
        // Test case objects live until the process ends, and their backends with them: the server is stopped here.
        lock.withLock { clusters.removeValue(forKey: ObjectIdentifier(testClass)) }?.server.shutDown()
    }

    /// The server of `testClass`'s cluster, if it started.
    static func server(for testClass: AnyClass) -> PostgresServer? {
        lock.withLock { clusters[ObjectIdentifier(testClass)]?.server }
    }

    /// A fresh database on the cluster of `testClass`; fails the test when PostgreSQL did not start.
    static func backend(for testClass: AnyClass) throws -> any StoreBackend {
        guard let cluster = lock.withLock({ clusters[ObjectIdentifier(testClass)] }) else {
            // Start it here to report why it failed.
            _ = try PostgresTestCluster()
            throw TestSupportError(.brokerDidNotStart, "PostgreSQL did not start")
        }
        return try PostgresBackend(cluster: cluster)
    }
}
