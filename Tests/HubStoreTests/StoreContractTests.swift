import Foundation
import HubCore
import HubServices
import HubStore
import HubTesting
import XCTest

/// The `Store` contract, run against SQLite here and against PostgreSQL by
/// `PostgresStoreContractTests`: what a write stores, skips and returns, whatever the engine.
class StoreContractTests: StoreBackendTestCase {
    func testEventsReadBackEqualToWhatWasWritten() throws {
        let store = try openStore()
        defer { try? store.close() }
        let events = [
            SampleData.airQuality(station: 1),
            SampleData.airQuality(station: 2, observedAt: SampleData.observed.adding(microseconds: 1), no2: 48.07),
            SampleData.parking(spot: 7),
            Event(id: EventID(rawValue: "a connector's own id"), type: "Note", entity: "urn:ngsi-ld:Note:1",
                  observedAt: Timestamp(microsecondsSinceEpoch: -86_400_000_001), receivedAt: SampleData.observed,
                  route: "notes", location: nil, attributes: ["text": .text("before 1970")]),
        ]
        let stored = try store.write(events: events, deadLetters: [])
        XCTAssertEqual(stored.map(\.event), events)
        XCTAssertEqual(stored.map(\.seq), stored.map(\.seq).sorted(), "sequence numbers follow the order given")

        for event in events {
            XCTAssertEqual(try store.event(id: event.id), event)
        }
        XCTAssertEqual(try store.recent(limit: 10), events.reversed(), "newest first, by insertion order")
        XCTAssertEqual(try store.latest(entity: events[0].entity), events[0])
        XCTAssertNil(try store.event(id: EventID(rawValue: "00000000000000000000000000000000")))
        XCTAssertNil(try store.latest(entity: "urn:ngsi-ld:Nothing:here"))
        XCTAssertEqual(try store.eventCount(), 4)
    }

    func testEventQueriesFilterAndLimit() throws {
        let store = try openStore()
        defer { try? store.close() }
        let air = (0..<3).map { SampleData.airQuality(station: 1, observedAt: SampleData.observed.adding(microseconds: Int64($0))) }
        let parking = (0..<3).map { SampleData.parking(spot: $0) }
        try store.write(events: [air[0], parking[0], air[1], parking[1], air[2], parking[2]], deadLetters: [])

        XCTAssertEqual(try store.recent(limit: 2), [parking[2], air[2]])
        XCTAssertEqual(try store.recent(entity: air[0].entity, limit: 10), air.reversed())
        XCTAssertEqual(try store.recent(type: "ParkingSpot", limit: 10), parking.reversed())
        XCTAssertEqual(try store.recent(route: "parking", limit: 2), [parking[2], parking[1]])
        XCTAssertEqual(try store.recent(entity: parking[1].entity, type: "ParkingSpot", route: "parking", limit: 10), [parking[1]])
        XCTAssertEqual(try store.recent(entity: parking[1].entity, type: "AirQualityObserved", limit: 10), [])
        XCTAssertEqual(try store.recent(limit: 0), [])
    }

    func testAnEventIdIsStoredOnceWithinAndAcrossBatches() throws {
        let store = try openStore()
        defer { try? store.close() }
        let event = SampleData.airQuality()
        var redelivered = event
        redelivered.receivedAt = event.receivedAt.adding(microseconds: 5_000_000)

        let first = try store.write(events: [event, event], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 1)
        XCTAssertEqual(first.map(\.event), [event], "the write reports the copy it stored, not the skipped one")
        let parking = SampleData.parking(spot: 1)
        let second = try store.write(events: [redelivered, parking], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 2)
        XCTAssertEqual(try store.event(id: event.id), event, "the first copy is the one kept")
        XCTAssertEqual(second.map(\.event), [parking])
        XCTAssertEqual(try store.events(matching: EventFilter(), after: 0, limit: 10), first + second,
                       "the sequence numbers reported are the ones reads page by")
        XCTAssertEqual(try store.events(matching: EventFilter(), after: first[0].seq, limit: 10), second)
    }

    func testLatestStateOnlyMovesForward() throws {
        let store = try openStore()
        defer { try? store.close() }
        let t0 = SampleData.observed
        let middle = SampleData.airQuality(observedAt: t0.adding(microseconds: 60_000_000), no2: 20)
        let newer = SampleData.airQuality(observedAt: t0.adding(microseconds: 120_000_000), no2: 30)
        let older = SampleData.airQuality(observedAt: t0, no2: 10)

        try store.write(events: [middle], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), middle)
        try store.write(events: [newer], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), newer, "a newer observation replaces the latest state")
        try store.write(events: [older], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), newer, "a late, older observation does not")
        XCTAssertEqual(try store.eventCount(), 3, "every observation is still in the history")

        // Within one batch too: the newest wins whatever the order.
        let other = [SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 2)),
                     SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 3)),
                     SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 1))]
        try store.write(events: other, deadLetters: [])
        XCTAssertEqual(try store.latest(entity: other[0].entity), other[1])
    }

    func testDeadLettersKeepTheirPayloadByteForByte() throws {
        let store = try openStore()
        defer { try? store.close() }
        var generator = SystemRandomNumberGenerator()
        let large = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let letters = [
            SampleData.deadLetter(payload: Data([0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x7B, 0x00]),
                                  reason: "payload is not valid UTF-8 (bad byte at offset 0)"),
            SampleData.deadLetter(payload: Data(), route: "senml", origin: "city/senml/empty", reason: "empty payload"),
            DeadLetter(envelope: Envelope(route: "uploads", source: .file, origin: "drop/invoice 42.xml", payload: large,
                                          receivedAt: SampleData.observed.adding(microseconds: 7)),
                       reason: "not an invoice"),
        ]
        try store.write(events: [], deadLetters: letters)

        let stored = try store.deadLetters(limit: 10)
        XCTAssertEqual(stored.map(\.deadLetter), letters.reversed(), "newest first, every field intact")
        XCTAssertEqual(stored.map(\.id), [3, 2, 1])
        XCTAssertEqual(stored[1].deadLetter.payload, Data(), "an empty payload stays empty, not NULL")
        XCTAssertEqual(stored.first?.deadLetter.payload.count, 1 << 20)
        XCTAssertEqual(try store.deadLetter(id: 2)?.deadLetter, letters[1])
        XCTAssertNil(try store.deadLetter(id: 99))
        XCTAssertEqual(try store.deadLetterCount(), 3)
        XCTAssertEqual(try store.deadLetters(limit: 1).map(\.id), [3])
        XCTAssertTrue(try store.markReplayed(deadLetter: 2, at: SampleData.observed))
        XCTAssertFalse(try store.markReplayed(deadLetter: 2, at: SampleData.observed), "replayed once")
    }

    func testEventsAndDeadLettersOfOneWriteAreOneTransaction() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [SampleData.deadLetter(payload: Data("a".utf8))])
        // Break the dead-letter insert so that the next write fails after its events were inserted.
        try backend.run("ALTER TABLE dead_letters RENAME TO moved_away", beside: store)

        XCTAssertThrowsError(try store.write(events: [SampleData.parking(spot: 2)],
                                             deadLetters: [SampleData.deadLetter(payload: Data("b".utf8))]))
        XCTAssertEqual(try store.eventCount(), 1, "the event was rolled back with the failed dead letter")
        XCTAssertNil(try store.latest(entity: SampleData.parking(spot: 2).entity), "and so was its latest state")

        try backend.run("ALTER TABLE moved_away RENAME TO dead_letters", beside: store)
        try store.write(events: [SampleData.parking(spot: 2)], deadLetters: [SampleData.deadLetter(payload: Data("b".utf8))])
        XCTAssertEqual(try store.eventCount(), 2, "the store is usable after a rollback")
        XCTAssertEqual(try store.deadLetterCount(), 2)
    }

    func testDataSurvivesCloseAndReopen() throws {
        let events = [SampleData.airQuality(), SampleData.parking(spot: 3)]
        let letter = SampleData.deadLetter(payload: Data([0x00, 0xFF]))
        do {
            let store = try openStore()
            try store.write(events: events, deadLetters: [letter])
            try store.close()
        }
        let reopened = try openStore()
        defer { try? reopened.close() }
        XCTAssertEqual(try reopened.recent(limit: 10), events.reversed())
        XCTAssertEqual(try reopened.latest(entity: events[0].entity), events[0])
        XCTAssertEqual(try reopened.deadLetters(limit: 10).map(\.deadLetter), [letter])
    }

    func testDocumentsAreStoredOnceByHashAndReadBackExactly() throws {
        let store = try openStore()
        defer { try? store.close() }
        let bytes = Data("<Invoice>42</Invoice>".utf8) + Data([0x00, 0xFF])
        let first = ArchivedDocument(bytes: bytes, mediaType: "application/xml", route: "invoices", receivedAt: SampleData.observed)
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [], documents: [first, first])
        // The same bytes again, from another route later: ignored, the first receipt is kept.
        var again = first
        again.route = "other"
        again.receivedAt = SampleData.observed.adding(microseconds: 5)
        try store.write(events: [], deadLetters: [], documents: [again])

        XCTAssertEqual(try store.documentCount(), 1)
        XCTAssertEqual(try store.document(sha256: "sha256:" + first.sha256), first)
        XCTAssertEqual(try store.document(sha256: first.sha256.uppercased()), first)
        XCTAssertNil(try store.document(sha256: String(repeating: "0", count: 64)))
    }

    func testTheDeviceRegistryCountsMessagesOnceAndFollowsStatusEvents() throws {
        let store = try openStore()
        defer { try? store.close() }
        let device = "urn:dev:ow:sensor-1"
        func reading(_ second: Int64, rssi: Double?, received: Int64? = nil) -> Event {
            var attributes: [String: Value] = ["refDevice": .text(device), "value": .number(Double(second), unit: nil)]
            if let rssi { attributes["rssi"] = .number(rssi, unit: nil) }
            let observed = SampleData.observed.adding(microseconds: second * 1_000_000)
            return Event(type: "Reading", entity: "urn:ngsi-ld:Reading:\(second)", observedAt: observed,
                         receivedAt: SampleData.observed.adding(microseconds: (received ?? second) * 1_000_000),
                         route: "sensors", attributes: attributes)
        }
        // Two events of one message (same receipt) count once; an event without RSSI keeps the last one.
        try store.write(events: [reading(1, rssi: -80), reading(2, rssi: -70, received: 1)], deadLetters: [])
        try store.write(events: [reading(3, rssi: nil), reading(3, rssi: nil)], deadLetters: [])
        var record = try XCTUnwrap(try store.device(device))
        XCTAssertEqual(record.messageCount, 2)
        XCTAssertEqual(record.lastRSSI, -70)
        XCTAssertEqual(record.firstSeen, SampleData.observed.adding(microseconds: 1_000_000))
        XCTAssertEqual(record.lastSeen, SampleData.observed.adding(microseconds: 3_000_000))
        XCTAssertNil(record.inactiveSince)

        let inactive = Event(type: "DeviceInactive", entity: device, observedAt: SampleData.observed.adding(microseconds: 9_000_000),
                             receivedAt: SampleData.observed.adding(microseconds: 9_000_000), route: "sensors", attributes: [:])
        try store.write(events: [inactive], deadLetters: [])
        record = try XCTUnwrap(try store.device(device))
        XCTAssertEqual(record.inactiveSince, inactive.observedAt)
        XCTAssertEqual(record.messageCount, 2, "a status event is not a message")
        XCTAssertEqual(try store.devices().map(\.device), [device])
    }

    func testRollUpsAggregateTheStoredValuesOnceEach() throws {
        let store = try openStore()
        defer { try? store.close() }
        let hour = SeriesStep.hour.bucket(of: SampleData.observed.microsecondsSinceEpoch)
        let values: [Double] = [4, -2, 10, 7]
        let events = values.enumerated().map { index, value in
            SampleData.airQuality(observedAt: Timestamp(microsecondsSinceEpoch: hour + Int64(index) * 60_000_000), no2: value)
        }
        // The last observed comes first; a repeat is not counted twice.
        try store.write(events: [events[3], events[0], events[1]], deadLetters: [])
        try store.write(events: [events[2], events[1]], deadLetters: [])
        let series = try store.series(entity: events[0].entity, attribute: "no2", step: .hour,
                                      from: Timestamp(microsecondsSinceEpoch: hour), to: Timestamp(microsecondsSinceEpoch: hour + 3_600_000_000))
        XCTAssertEqual(series, [SeriesPoint(start: Timestamp(microsecondsSinceEpoch: hour), count: 4, min: -2, max: 10,
                                            mean: 19.0 / 4, last: 7)])
        let days = try store.series(entity: events[0].entity, attribute: "no2", step: .day, from: SampleData.observed,
                                    to: SampleData.observed.adding(microseconds: 1))
        XCTAssertEqual(days.map(\.count), [4])
        XCTAssertEqual(days.first?.last, 7)
    }

    func testAReceivedInvoiceUnderAnotherDocumentIsMarkedDuplicate() throws {
        let store = try openStore()
        defer { try? store.close() }
        func invoice(_ document: String, received: Int64) -> Event {
            Event(type: "InvoiceReceived", entity: "urn:ngsi-ld:Invoice:\(document)", observedAt: SampleData.observed,
                  receivedAt: SampleData.observed.adding(microseconds: received), route: "invoices",
                  attributes: ["number": .text("F-2026-0042"), "sellerSIREN": .text("123456789"), "issueDate": .text("2026-11-20"),
                               "typeCode": .text("380"), "document": .text("sha256:" + document), "valid": .boolean(true)])
        }
        let first = try store.write(events: [invoice(String(repeating: "a", count: 64), received: 1)], deadLetters: [])
        XCTAssertEqual(first.first?.event.attributes["valid"], .boolean(true))
        // The same document again is not a duplicate; another one is, in the same batch or later.
        let later = try store.write(events: [invoice(String(repeating: "a", count: 64), received: 2),
                                             invoice(String(repeating: "b", count: 64), received: 3)], deadLetters: [])
        XCTAssertEqual(later.count, 1, "the same invoice event is stored once")
        let duplicate = try XCTUnwrap(later.first?.event)
        XCTAssertEqual(duplicate.attributes["valid"], .boolean(false))
        XCTAssertTrue(duplicate.attributesJSON.contains("DUPLICATE"), duplicate.attributesJSON)
        XCTAssertEqual(try store.event(id: duplicate.id), duplicate, "stored as marked")
    }

    func testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() throws {
        let store = try openStore()
        defer { try? store.close() }
        var filter = Subscription.Filter()
        filter.types = ["ParkingSpot"]
        var parkingOnly = Subscription(name: "parking", filter: filter, target: .mqtt(.init(topic: "out/parking")))
        parkingOnly.maxLag = 2
        parkingOnly.onLagLimit = .dropOldest
        try store.deliver(to: [parkingOnly])
        let stored = try store.write(events: [SampleData.parking(spot: 1), SampleData.airQuality(), SampleData.parking(spot: 2),
                                              SampleData.parking(spot: 3)], deadLetters: [])
        let pending = try store.pendingDeliveries(for: "parking", limit: 10)
        XCTAssertEqual(pending.events.map(\.event.entity), [SampleData.parking(spot: 2).entity, SampleData.parking(spot: 3).entity],
                       "the lag limit drops the oldest")
        XCTAssertEqual(store.outboxStatus()["parking"], OutboxStatus(lag: 2, dropped: 1, isPausedAtLimit: false))
        try store.holdDeliveryBatch(for: "parking", through: stored[2].seq)
        XCTAssertEqual(try store.pendingDeliveries(for: "parking", limit: 10).events.map(\.seq), [stored[2].seq])
        XCTAssertEqual(try store.acknowledgeDeliveries(for: "parking", seqs: [stored[2].seq]), 1)
        XCTAssertEqual(try store.pendingDeliveries(for: "parking", limit: 10).events.map(\.seq), [stored[3].seq])
        XCTAssertEqual(store.outboxStatus()["parking"]?.lag, 1)
    }
}

/// The same contract against a real PostgreSQL: one server for the class, a fresh database a test.
final class PostgresStoreContractTests: StoreContractTests {
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
    override func testEventsReadBackEqualToWhatWasWritten() throws { try super.testEventsReadBackEqualToWhatWasWritten() }
    override func testEventQueriesFilterAndLimit() throws { try super.testEventQueriesFilterAndLimit() }
    override func testAnEventIdIsStoredOnceWithinAndAcrossBatches() throws { try super.testAnEventIdIsStoredOnceWithinAndAcrossBatches() }
    override func testLatestStateOnlyMovesForward() throws { try super.testLatestStateOnlyMovesForward() }
    override func testDeadLettersKeepTheirPayloadByteForByte() throws { try super.testDeadLettersKeepTheirPayloadByteForByte() }
    override func testEventsAndDeadLettersOfOneWriteAreOneTransaction() throws { try super.testEventsAndDeadLettersOfOneWriteAreOneTransaction() }
    override func testDataSurvivesCloseAndReopen() throws { try super.testDataSurvivesCloseAndReopen() }
    override func testDocumentsAreStoredOnceByHashAndReadBackExactly() throws { try super.testDocumentsAreStoredOnceByHashAndReadBackExactly() }
    override func testTheDeviceRegistryCountsMessagesOnceAndFollowsStatusEvents() throws { try super.testTheDeviceRegistryCountsMessagesOnceAndFollowsStatusEvents() }
    override func testRollUpsAggregateTheStoredValuesOnceEach() throws { try super.testRollUpsAggregateTheStoredValuesOnceEach() }
    override func testAReceivedInvoiceUnderAnotherDocumentIsMarkedDuplicate() throws { try super.testAReceivedInvoiceUnderAnotherDocumentIsMarkedDuplicate() }
    override func testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() throws { try super.testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() }
}
