import Foundation
import HubCore
import HubServices
import HubStore
import HubTesting
import XCTest

/// The Chorus Pro statuses of an invoice number, as the invoice view reads them: every status
/// record of an invoice whose records gave that number (a later record without it included),
/// oldest observation first, restricted routes left out, a page at most.
///
/// The contract every backend answers: run here on SQLite, and on PostgreSQL by
/// `PostgresInvoiceStatusReadingTests`, which overrides `makeStore`.
class InvoiceStatusReadingTests: XCTestCase {
    let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    /// A store on a new, empty database, closed when the test ends.
    func makeStore() throws -> any HubDatabase {
        let path = try TemporaryDirectory.make(prefix: "hub-invoice-statuses").appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path, logger: logger)
        addTeardownBlock { try? store.close() }
        return store
    }

    func testStatusesAreFoundByInvoiceNumberOldestFirstWithoutTheHiddenRoutes() throws {
        let store = try makeStore()
        func status(_ chorusID: String, _ number: String?, _ code: String, hoursAfter hours: Int64, route: String = "chorus") -> Event {
            var attributes: [String: Value] = ["chorusInvoiceID": .text(chorusID), "status": .text(code)]
            if let number { attributes["invoiceNumber"] = .text(number) }
            return Event(type: "InvoiceStatusChanged", entity: "urn:ngsi-ld:Invoice:chorus:\(chorusID)",
                         observedAt: SampleData.observed.adding(microseconds: hours * 3_600_000_000), receivedAt: SampleData.observed,
                         route: route, attributes: attributes, key: code)
        }
        let paid = status("4711", nil, "MISE_EN_PAIEMENT", hoursAfter: 48)  // a later record without the number
        let deposited = status("4711", "F-2026-0042", "DEPOSEE", hoursAfter: 0)
        let other = status("9000", "F-2026-0042", "DEPOSEE", hoursAfter: 1, route: "chorus-restricted")
        try store.write(events: [paid, status("5000", "F-2026-0099", "DEPOSEE", hoursAfter: 2)], deadLetters: [])
        try store.write(events: [deposited, other], deadLetters: [])

        XCTAssertEqual(try store.invoiceStatuses(number: "F-2026-0042", hiddenRoutes: [], limit: 10).map(\.event.id),
                       [deposited.id, other.id, paid.id])
        XCTAssertEqual(try store.invoiceStatuses(number: "F-2026-0042", hiddenRoutes: ["chorus-restricted"], limit: 10).map(\.event.id),
                       [deposited.id, paid.id])
        XCTAssertEqual(try store.invoiceStatuses(number: "F-2026-0042", hiddenRoutes: [], limit: 1).map(\.event.id), [deposited.id])
        XCTAssertEqual(try store.invoiceStatuses(number: "nothing", hiddenRoutes: [], limit: 10), [])
        let read = try store.invoiceStatuses(number: "F-2026-0099", hiddenRoutes: [], limit: 10)
        XCTAssertEqual(read.map(\.event.attributes["status"]), [.text("DEPOSEE")], "read back whole")
    }
}
