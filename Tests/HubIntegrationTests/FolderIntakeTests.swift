import Foundation
import HubCore
@testable import HubRuntime
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Invoices dropped into watched folders: decoded, checked, archived, and moved aside only after commit.
final class FolderIntakeTests: XCTestCase {
    /// The e-invoicing fixtures, shared with the plugin's tests.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EInvoicingPluginTests/Fixtures")

    private struct Folders {
        let fixture: HubFixture
        var ubl: URL { fixture.directory.appendingPathComponent("drop-ubl") }
        var pdf: URL { fixture.directory.appendingPathComponent("drop-pdf") }
    }

    private func configuration(_ folders: Folders, maxBytes: Int = 1 << 20) throws -> HubConfiguration {
        func route(_ name: String, _ folder: URL, _ connector: String) -> JSONValue {
            .object([
                "name": .string(name), "connector": .string(connector),
                "folder": .object(["path": .string(folder.path), "scanIntervalMs": .number(40), "maxBytes": .number(Double(maxBytes))]),
            ])
        }
        let json = JSONValue.object([
            "store": .object(["path": .string(folders.fixture.databasePath), "batchDelayMs": .number(5)]),
            "routes": .array([
                route("invoices-ubl", folders.ubl, "einvoicing.ubl"), route("invoices-pdf", folders.pdf, "einvoicing.facturx"),
            ]),
        ])
        return try HubConfiguration(json: json, environment: [:], catalog: .compiledIn)
    }

    private func names(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    private func drop(_ data: Data, as name: String, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent(name))
    }

    func testDroppedInvoicesAreStoredWithTheirArchivedDocumentAndMovedAside() throws {
        let folders = Folders(fixture: try HubFixture())
        let ubl = try Data(contentsOf: Self.fixtures.appendingPathComponent("ubl/ubl-tc434-example1.xml"))
        let pdf = try Data(contentsOf: Self.fixtures.appendingPathComponent("pdf/akretion-invoice_EN16931.pdf"))
        let plain = try Data(contentsOf: Self.fixtures.appendingPathComponent("pdf/horstoeko-pdf_plain.pdf"))
        try drop(ubl, as: "example1.xml", into: folders.ubl)
        try drop(ubl, as: ".example1-copy.xml", into: folders.ubl)
        try drop(ubl, as: "example1-copy.xml.part", into: folders.ubl)
        try drop(pdf, as: "akretion.pdf", into: folders.pdf)
        try drop(plain, as: "plain.pdf", into: folders.pdf)

        let hub = try Hub(configuration: configuration(folders))
        try hub.start()
        XCTAssertTrue(waitUntil(timeout: 20) {
            names(in: folders.ubl.appendingPathComponent("done")) == ["example1.xml"]
                && names(in: folders.pdf.appendingPathComponent("done")) == ["akretion.pdf"]
                && names(in: folders.pdf.appendingPathComponent("failed")) == ["plain.pdf", "plain.pdf.reason.txt"]
        }, "done: \(names(in: folders.ubl.appendingPathComponent("done"))) \(names(in: folders.pdf.appendingPathComponent("done"))), failed: \(names(in: folders.pdf.appendingPathComponent("failed")))")
        hub.stop()

        XCTAssertEqual(names(in: folders.ubl), [".example1-copy.xml", "done", "example1-copy.xml.part", "failed"],
                       "hidden and partial files are left alone")
        XCTAssertEqual(names(in: folders.pdf), ["done", "failed"])
        let reason = try String(contentsOf: folders.pdf.appendingPathComponent("failed/plain.pdf.reason.txt"), encoding: .utf8)
        XCTAssertTrue(reason.contains("no embedded invoice XML"), reason)

        let store = try SQLiteStore(path: folders.fixture.databasePath, logger: Logger(label: "test"))
        defer { try? store.close() }
        let events = try store.events(type: "InvoiceReceived", limit: 10)
        XCTAssertEqual(events.count, 2)
        for (event, original, mediaType) in [
            (events.first { $0.route == "invoices-ubl" }, ubl, "application/xml"),
            (events.first { $0.route == "invoices-pdf" }, pdf, "application/pdf"),
        ] {
            let event = try XCTUnwrap(event)
            let reference = try XCTUnwrap(event.attributes["document"]?.text)
            XCTAssertEqual(reference, "sha256:" + SHA256.hash(original).hexString)
            let document = try XCTUnwrap(store.document(sha256: reference), "the event's document is archived")
            XCTAssertEqual(document.bytes, original)
            XCTAssertEqual(document.mediaType, mediaType)
            XCTAssertEqual(document.route, event.route)
        }
        XCTAssertEqual(try store.documentCount(), 2, "a dead letter archives nothing: its payload is in the dead letter")
        let deadLetters = try store.deadLetters(limit: 10)
        XCTAssertEqual(deadLetters.map(\.deadLetter.origin), ["plain.pdf"])
        XCTAssertEqual(deadLetters.first?.deadLetter.payload, plain)
    }

    func testAStopHalfWayLosesNothingAndARestartFinishesTheRest() throws {
        let folders = Folders(fixture: try HubFixture())
        let sample = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("ubl/ubl-tc434-example3.xml")), as: UTF8.self)
        XCTAssertTrue(sample.contains("<cbc:ID>TOSL108</cbc:ID>"))
        func dropInvoices(_ range: Range<Int>) throws {
            for index in range {
                let invoice = sample.replacingOccurrences(of: "<cbc:ID>TOSL108</cbc:ID>", with: "<cbc:ID>TOSL108-\(index)</cbc:ID>")
                try drop(Data(invoice.utf8), as: "invoice-\(index).xml", into: folders.ubl)
            }
        }
        try dropInvoices(0..<15)
        let first = try Hub(configuration: configuration(folders))
        try first.start()
        XCTAssertTrue(waitUntil(timeout: 20) { !self.names(in: folders.ubl.appendingPathComponent("done")).isEmpty })
        // More files arrive as the hub stops: whatever was not delivered stays in the folder.
        try dropInvoices(15..<30)
        first.stop()

        // Every file moved to done/ has its event committed; the others are still in the folder.
        let movedEarly = names(in: folders.ubl.appendingPathComponent("done"))
        let left = names(in: folders.ubl).filter { $0.hasSuffix(".xml") }
        XCTAssertEqual(movedEarly.count + left.count, 30)
        var store = try SQLiteStore(path: folders.fixture.databasePath, logger: Logger(label: "test"))
        let numbers = Set(try store.events(type: "InvoiceReceived", limit: 100).compactMap { $0.attributes["number"]?.text })
        for name in movedEarly {
            let index = name.dropFirst("invoice-".count).dropLast(".xml".count)
            XCTAssertTrue(numbers.contains("TOSL108-\(index)"), "\(name) was moved before its event was committed")
        }
        try store.close()

        let second = try Hub(configuration: configuration(folders))
        try second.start()
        XCTAssertTrue(waitUntil(timeout: 30) { self.names(in: folders.ubl.appendingPathComponent("done")).count == 30 })
        second.stop()
        XCTAssertEqual(names(in: folders.ubl), ["done", "failed"])
        store = try SQLiteStore(path: folders.fixture.databasePath, logger: Logger(label: "test"))
        defer { try? store.close() }
        XCTAssertEqual(try store.eventCount(), 30)
        XCTAssertEqual(try store.documentCount(), 30)
    }

    func testAFileLeftBehindAfterItsCommitIsTakenAgainAndStoredOnce() throws {
        // As if the hub stopped between the commit and the move: the file is still in the folder.
        let folders = Folders(fixture: try HubFixture())
        let ubl = try Data(contentsOf: Self.fixtures.appendingPathComponent("ubl/ubl-tc434-example2.xml"))
        for round in 0..<2 {
            try drop(ubl, as: "example2.xml", into: folders.ubl)
            let hub = try Hub(configuration: configuration(folders))
            try hub.start()
            XCTAssertTrue(waitUntil(timeout: 20) { self.names(in: folders.ubl.appendingPathComponent("done")).count == round + 1 })
            hub.stop()
        }
        let store = try SQLiteStore(path: folders.fixture.databasePath, logger: Logger(label: "test"))
        defer { try? store.close() }
        XCTAssertEqual(try store.eventCount(), 1, "the same document is the same event")
        XCTAssertEqual(try store.documentCount(), 1)
        XCTAssertEqual(names(in: folders.ubl.appendingPathComponent("done")).count, 2, "the second copy is kept beside the first, renamed")
    }

    func testHostileAndOversizedFilesAreDeadLettersInFailed() throws {
        let folders = Folders(fixture: try HubFixture())
        let xxe = """
            <?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&x;</ID></Invoice>
            """
        try drop(Data(xxe.utf8), as: "xxe.xml", into: folders.ubl)
        try drop(Data(repeating: 0x20, count: 5000), as: "huge.xml", into: folders.ubl)
        let hub = try Hub(configuration: configuration(folders, maxBytes: 4000))
        try hub.start()
        XCTAssertTrue(waitUntil(timeout: 20) { self.names(in: folders.ubl.appendingPathComponent("failed")).count == 4 })
        hub.stop()
        let failed = folders.ubl.appendingPathComponent("failed")
        XCTAssertTrue(try String(contentsOf: failed.appendingPathComponent("xxe.xml.reason.txt"), encoding: .utf8).contains("DOCTYPE"))
        XCTAssertTrue(try String(contentsOf: failed.appendingPathComponent("huge.xml.reason.txt"), encoding: .utf8).contains("was not read"))
        let store = try SQLiteStore(path: folders.fixture.databasePath, logger: Logger(label: "test"))
        defer { try? store.close() }
        let deadLetters = try store.deadLetters(limit: 10)
        XCTAssertEqual(Set(deadLetters.map(\.deadLetter.origin)), ["xxe.xml", "huge.xml"])
        XCTAssertEqual(deadLetters.first { $0.deadLetter.origin == "huge.xml" }?.deadLetter.payload, Data())
        XCTAssertEqual(try store.eventCount(), 0)
    }

    /// While the store cannot commit (read-only: `PRAGMA query_only` on the hub's write connection),
    /// files stay in the folder: the one taken before the failure waits in memory, the next one is
    /// not even read. Both are stored and moved aside once the store commits again.
    func testWhileTheStoreCannotCommitFilesStayInTheFolder() throws {
        let folders = Folders(fixture: try HubFixture())
        let hub = try Hub(configuration: configuration(folders))
        try hub.start()
        defer { hub.stop() }
        func setReadOnly(_ readOnly: Bool) throws {
            try XCTUnwrap(hub.store as? SQLiteStore).withWriteConnection { _ = try $0.query("PRAGMA query_only = \(readOnly ? 1 : 0)") { $0.int64(0) } }
        }
        try setReadOnly(true)
        try drop(Data("not an invoice".utf8), as: "first.xml", into: folders.ubl)
        XCTAssertTrue(waitUntil(timeout: 20) { !hub.intakeGate.isOpen }, "the failed commit paused intake")
        try drop(Data("not an invoice either".utf8), as: "second.xml", into: folders.ubl)
        Thread.sleep(forTimeInterval: 0.5)  // a dozen scan intervals
        let received = hub.metrics.route("invoices-ubl").received
        XCTAssertEqual(received.value, 1, "the second file is not taken while paused")
        XCTAssertEqual(names(in: folders.ubl).filter { $0.hasSuffix(".xml") }, ["first.xml", "second.xml"])

        try setReadOnly(false)
        XCTAssertTrue(waitUntil(timeout: 20) {
            self.names(in: folders.ubl.appendingPathComponent("failed")).filter { $0.hasSuffix(".xml") } == ["first.xml", "second.xml"]
        }, "\(self.names(in: folders.ubl.appendingPathComponent("failed")))")
        XCTAssertEqual(received.value, 2)
        XCTAssertEqual(try hub.store.deadLetterCount(), 2)
    }
}
