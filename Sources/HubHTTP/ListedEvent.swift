import HubCore
import HubStore

/// What the API writes of an event (`EventEncoding`): an event read back whole, or a record of
/// one whose attributes stayed text (`EventRecord`, what the events listing reads).
protocol ListedEvent {
    var id: EventID { get }
    var type: String { get }
    var entity: String { get }
    var observedAt: Timestamp { get }
    var receivedAt: Timestamp { get }
    var route: String { get }
    var location: GeoPoint? { get }
    /// The attributes as JSON text: an object of `Value.storedForm`s, keys sorted.
    var attributesJSON: String { get }
}

extension Event: ListedEvent {}
extension EventRecord: ListedEvent {}
