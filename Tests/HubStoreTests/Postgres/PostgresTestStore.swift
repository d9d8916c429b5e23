import HubPostgres
import HubServices
import XCTest

/// A `PostgresStore` on a fresh database of the test class's cluster, closed and dropped when the test ends.
func makePostgresStore(for test: XCTestCase, logger: Logger) throws -> (store: PostgresStore, url: String) {
    let backend = try XCTUnwrap(PostgresClusters.backend(for: type(of: test)) as? PostgresBackend)
    test.addTeardownBlock { backend.cleanUp() }
    let store = try PostgresStore(url: backend.url, logger: logger)
    test.addTeardownBlock { try? store.close() }
    return (store, backend.url)
}
