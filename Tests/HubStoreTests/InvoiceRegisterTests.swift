import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The store's invoice register: a second, different document carrying the same invoice (seller,
/// number, issue date, type code) is stored marked `DUPLICATE`, across restarts of the store and
/// across stores sharing one file; the same document again is not a duplicate.
class InvoiceRegisterTests: StoreBackendTestCase {
    /// An `InvoiceReceived` event as the invoice connectors build it, for the document `document`.
    func invoice(_ document: String, number: String = "F-2026-0042", issueDate: String? = "2026-11-20",
                         typeCode: String? = "380", siren: String? = "123456782", route: String = "invoices-ubl",
                         failures: [JSONValue] = [], receivedAt: Timestamp = SampleData.observed) -> Event {
        let hash = SHA256.hash(Data(document.utf8)).hexString
        var attributes: [String: Value] = [
            "number": .text(number), "sellerName": .text("Éclairage Public SARL"), "format": .text("UBL"),
            "document": .text("sha256:\(hash)"), "valid": .boolean(failures.isEmpty), "failures": .json(.array(failures)),
            "taxInclusiveTotal": .text("2916.00"),
        ]
        if let issueDate { attributes["issueDate"] = .text(issueDate) }
        if let typeCode { attributes["typeCode"] = .text(typeCode) }
        if let siren { attributes["sellerSIREN"] = .text(siren) }
        return Event(type: "InvoiceReceived", entity: "urn:ngsi-ld:Invoice:\(siren ?? "x"):\(number)",
                     observedAt: Timestamp(iso8601: "\(issueDate ?? "2026-11-20")T00:00:00Z")!, receivedAt: receivedAt,
                     route: route, attributes: attributes, key: hash)
    }

    func stored(_ store: any ContractStore, _ event: Event) throws -> Event {
        try XCTUnwrap(try store.event(id: event.id), "event \(event.id) is stored")
    }

    func failures(of event: Event) -> [(rule: String, message: String)] {
        guard case .json(.array(let items))? = event.attributes["failures"] else { return [] }
        return items.map { ($0["rule"]?.stringValue ?? "", $0["message"]?.stringValue ?? "") }
    }

    func testASecondDocumentIsFlaggedAfterTheStoreIsClosedAndOpenedAgain() throws {
        let first = invoice("<Invoice>original</Invoice>")
        do {
            let store = try openStore()
            try store.write(events: [first], deadLetters: [])
            try store.close()
        }
        let store = try openStore()
        defer { try? store.close() }
        let second = invoice("<Invoice>sent again, with a new note</Invoice>", route: "invoices-webhook",
                             receivedAt: SampleData.observed.adding(microseconds: 3_600_000_000))
        let returned = try store.write(events: [second], deadLetters: [])

        let marked = try stored(store, second)
        XCTAssertEqual(marked.attributes["valid"], .boolean(false))
        let duplicate = try XCTUnwrap(failures(of: marked).first)
        XCTAssertEqual(duplicate.rule, "DUPLICATE")
        let firstHash = try XCTUnwrap(first.attributes["document"]?.text)
        for expected in [firstHash, "invoices-ubl", "F-2026-0042", "SIREN 123456782", "Éclairage Public SARL", "2026-11-20", "380",
                         "before paying"] {
            XCTAssertTrue(duplicate.message.contains(expected), "\(expected) missing from: \(duplicate.message)")
        }
        XCTAssertEqual(returned.map(\.event), [marked], "the commit hands on the event as stored (the live stream shows the mark)")
        XCTAssertEqual(try stored(store, first), first, "the first document is left as it was")
    }

    func testTwoStoresOnOneFileShareTheRegister() throws {
        let hubA = try openStore()
        let hubB = try openStore()
        defer {
            try? hubA.close()
            try? hubB.close()
        }
        let first = invoice("<Invoice>from hub A</Invoice>", route: "hub-a")
        let second = invoice("<Invoice>from hub B</Invoice>", route: "hub-b")
        let third = invoice("<Invoice>from hub A again, changed</Invoice>", route: "hub-a")
        try hubA.write(events: [first], deadLetters: [])
        try hubB.write(events: [second], deadLetters: [])
        try hubA.write(events: [third], deadLetters: [])

        XCTAssertEqual(failures(of: try stored(hubA, first)).map(\.rule), [])
        for duplicate in [second, third] {
            let marked = try stored(hubB, duplicate)
            XCTAssertEqual(failures(of: marked).map(\.rule), ["DUPLICATE"], "\(duplicate.route)")
            XCTAssertTrue(failures(of: marked)[0].message.contains("hub-a"), failures(of: marked)[0].message)
        }
    }

    func testTheSameDocumentAgainIsNotADuplicate() throws {
        let store = try openStore()
        defer { try? store.close() }
        let original = invoice("<Invoice>one document</Invoice>")
        try store.write(events: [original], deadLetters: [])
        // Delivered again later, and through another route: the same event, skipped.
        var again = invoice("<Invoice>one document</Invoice>", route: "invoices-webhook",
                            receivedAt: SampleData.observed.adding(microseconds: 86_400_000_000))
        XCTAssertEqual(try store.write(events: [again], deadLetters: []), [])
        // Even as a distinct event (a connector that keyed it otherwise), one document is one invoice.
        again.id = EventID(rawValue: "another-id-for-the-same-document")
        try store.write(events: [again], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 2)
        for event in [original, again] {
            XCTAssertEqual(try stored(store, event).attributes["valid"], .boolean(true))
        }
    }

    func testAnotherTypeCodeDateSellerOrNumberIsAnotherInvoice() throws {
        let store = try openStore()
        defer { try? store.close() }
        let events = [
            invoice("<Invoice>380</Invoice>"),
            invoice("<CreditNote>381</CreditNote>", typeCode: "381"),
            invoice("<Invoice>next day</Invoice>", issueDate: "2026-11-21"),
            invoice("<Invoice>other seller</Invoice>", siren: "732829320"),
            invoice("<Invoice>other number</Invoice>", number: "F-2026-0043"),
        ]
        // In one batch, as well: each is checked against those before it in the same transaction.
        let returned = try store.write(events: events, deadLetters: [])
        XCTAssertEqual(returned.count, events.count)
        for event in events {
            XCTAssertEqual(failures(of: try stored(store, event)).map(\.rule), [], "\(event.attributes)")
        }
        let sameBatch = [invoice("<Invoice>a</Invoice>", number: "B-1"), invoice("<Invoice>b</Invoice>", number: "B-1")]
        try store.write(events: sameBatch, deadLetters: [])
        XCTAssertEqual(failures(of: try stored(store, sameBatch[1])).map(\.rule), ["DUPLICATE"])
    }

    func testADuplicateKeepsTheFailuresItHadAndAnInvoiceWithoutSellerOrNumberIsNotRegistered() throws {
        let store = try openStore()
        defer { try? store.close() }
        let broken: [JSONValue] = [.object(["rule": .string("BR-CO-15"), "message": .string("totals do not add up")])]
        try store.write(events: [invoice("<Invoice>1</Invoice>"), invoice("<Invoice>2</Invoice>", failures: broken)], deadLetters: [])
        let marked = try store.recent(type: "InvoiceReceived", limit: 1)[0]
        XCTAssertEqual(failures(of: marked).map(\.rule), ["BR-CO-15", "DUPLICATE"])

        var anonymous = [invoice("<Invoice>no seller 1</Invoice>", siren: nil), invoice("<Invoice>no seller 2</Invoice>", siren: nil)]
        for index in anonymous.indices { anonymous[index].attributes["sellerName"] = nil }
        try store.write(events: anonymous, deadLetters: [])
        XCTAssertEqual(failures(of: try stored(store, anonymous[1])).map(\.rule), [], "nothing names the seller: no key")
    }

    func testBatchWriterCommitsTheMarkAndReportsTheMarkedEvent() throws {
        let store = try openStore()
        defer { try? store.close() }
        let bus = Bus(capacity: 16)
        let writer = BatchWriter(bus: bus, store: store, maxBatchSize: 10, maxDelay: .milliseconds(5), metrics: HubMetrics(),
                                 logger: logs.logger(label: "hub.writer"))
        let committed = LatestValue<[StoredEvent]>()
        writer.onCommitted = { stored, _ in if !stored.isEmpty { committed.set(stored) } }
        writer.start()
        let second = invoice("<Invoice>second</Invoice>")
        XCTAssertTrue(bus.push(Outcome(events: [invoice("<Invoice>first</Invoice>")])))
        XCTAssertTrue(bus.push(Outcome(events: [second])))
        writer.stop()
        XCTAssertEqual(try store.event(id: second.id)?.attributes["valid"], .boolean(false))
        XCTAssertEqual(committed.value?.last?.event.attributes["valid"], .boolean(false), "the live stream gets the mark")
    }

}

/// The invoice register against a real PostgreSQL, two hubs on one database included.
final class PostgresInvoiceRegisterTests: InvoiceRegisterTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeBackend() throws -> any StoreBackend { try PostgresClusters.backend(for: Self.self) }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testASecondDocumentIsFlaggedAfterTheStoreIsClosedAndOpenedAgain() throws { try super.testASecondDocumentIsFlaggedAfterTheStoreIsClosedAndOpenedAgain() }
    override func testTwoStoresOnOneFileShareTheRegister() throws { try super.testTwoStoresOnOneFileShareTheRegister() }
    override func testTheSameDocumentAgainIsNotADuplicate() throws { try super.testTheSameDocumentAgainIsNotADuplicate() }
    override func testAnotherTypeCodeDateSellerOrNumberIsAnotherInvoice() throws { try super.testAnotherTypeCodeDateSellerOrNumberIsAnotherInvoice() }
    override func testADuplicateKeepsTheFailuresItHadAndAnInvoiceWithoutSellerOrNumberIsNotRegistered() throws { try super.testADuplicateKeepsTheFailuresItHadAndAnInvoiceWithoutSellerOrNumberIsNotRegistered() }
    override func testBatchWriterCommitsTheMarkAndReportsTheMarkedEvent() throws { try super.testBatchWriterCommitsTheMarkAndReportsTheMarkedEvent() }
}

/// What only the SQLite register does: a database of schema 5 fills it, and statuses are read by invoice number (SQLite's read).
final class SQLiteInvoiceRegisterTests: InvoiceRegisterTests {
    private var databasePath: String {
        (backend as? SQLiteBackend)?.directory.appendingPathComponent("hub.sqlite").path ?? ""
    }

    private func openSQLiteStore() throws -> SQLiteStore {
        try SQLiteStore(path: databasePath, logger: logs.logger(label: "hub.store"))
    }
    func testAStoreFromBeforeTheRegisterFillsItFromTheInvoicesItHolds() throws {
        let first = invoice("<Invoice>before the upgrade</Invoice>")
        let status = Event(type: "InvoiceStatusChanged", entity: "urn:ngsi-ld:Invoice:chorus:4711", observedAt: SampleData.observed,
                           receivedAt: SampleData.observed, route: "chorus",
                           attributes: ["invoiceNumber": .text("F-2026-0042"), "status": .text("DEPOSEE")])
        // Written by schema 5, as a hub before the register left it.
        let before = try VersionFiveDatabase(path: databasePath)
        try before.write(events: [first, status], deadLetters: [])
        try before.close()

        let store = try openSQLiteStore()
        defer { try? store.close() }
        let second = invoice("<Invoice>after the upgrade</Invoice>")
        try store.write(events: [second], deadLetters: [])
        let marked = try stored(store, second)
        XCTAssertEqual(failures(of: marked).map(\.rule), ["DUPLICATE"])
        XCTAssertTrue(failures(of: marked)[0].message.contains(first.attributes["document"]!.text!.dropFirst(7)))
        XCTAssertEqual(try store.invoiceStatuses(number: "F-2026-0042", limit: 10).map(\.event.id), [status.id])
    }

    /// The statuses of an invoice number are found through the register and the events' entity
    /// index, never by reading every status (`InvoiceStatusReadingTests` checks the answers).
    func testStatusesAreFoundThroughTheEntityIndex() throws {
        let store = try openSQLiteStore()
        defer { try? store.close() }
        let query = SQLiteStore.invoiceStatusesQuery(number: "F-2026-0042", hiddenRoutes: ["chorus-restricted"], limit: 10)
        let plan = try store.withReadConnection { connection in
            try connection.query("EXPLAIN QUERY PLAN " + query.sql, query.values) { $0.text(3) }
        }
        XCTAssertTrue(plan.contains { $0.contains("USING INDEX events_by_entity") }, "\(plan)")
        XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN events") }, "\(plan)")
    }
}
