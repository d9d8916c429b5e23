import HubCore
import HubStore

/// What the API writes of an event (`EventEncoding`): an event read back whole, the record of one
/// whose attributes stayed text (`EventRecord`), or the row of one as the store reads it
/// (`EventRecordRow`, what the events listing writes from).
protocol ListedEvent {
    /// What writing the attributes may throw: `Never` when they are text at hand.
    associatedtype WriteError: Error
    var type: String { get }
    var entity: String { get }
    var observedAt: Timestamp { get }
    var receivedAt: Timestamp { get }
    var route: String { get }
    var location: GeoPoint? { get }
    /// Appends the id as a JSON string.
    func writeID(to out: inout JSONOutput)
    /// Appends the attributes: a JSON object of `Value.storedForm`s, keys sorted.
    func writeAttributes(to out: inout JSONOutput) throws(WriteError)
}

/// A listed event whose id and attribute text are at hand (CSV writes them as fields).
protocol ListedEventText: ListedEvent where WriteError == Never {
    var id: EventID { get }
    /// The attributes as JSON text: an object of `Value.storedForm`s, keys sorted.
    var attributesJSON: String { get }
}

extension ListedEventText {
    func writeID(to out: inout JSONOutput) { out.appendString(id.rawValue) }
    func writeAttributes(to out: inout JSONOutput) { out.append(verbatim: attributesJSON) }
}

extension Event: ListedEventText {}
extension EventRecord: ListedEventText {}
extension EventRecordRow: ListedEvent {
    typealias WriteError = any Error
}
