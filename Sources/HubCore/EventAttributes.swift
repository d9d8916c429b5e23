/// An event's attributes added one at a time in ascending name order (the order of `String`'s
/// `<`), each written into the attributes' stored JSON text as it is added.
///
/// `Event.init(type:entity:observedAt:receivedAt:route:location:attributes:key:)` takes the values
/// and the text as they are, so the event does not sort and render them again: what a connector
/// making thousands of events of one shape per message (a GTFS-Realtime feed's vehicle positions
/// and trip updates) builds its attributes with. The text is byte for byte `Event.render(values)`;
/// debug builds check that for every event made this way, and the order of the names is the
/// caller's to keep.
public struct EventAttributes: ~Copyable {
    /// The attributes added so far, by name.
    public private(set) var values: [String: Value]
    private var output: JSONOutput

    /// No attributes yet, with room for `count` of them and `textCapacity` bytes of their text.
    public init(count: Int, textCapacity: Int) {
        values = Dictionary(minimumCapacity: count)
        output = JSONOutput(reservingCapacity: textCapacity)
        output.append("{")
    }

    /// Adds `value` under `name`, which must sort after every name added before it; a nil value
    /// adds nothing.
    public mutating func append(_ name: String, _ value: Value?) {
        guard let value else { return }
        appendName(name)
        value.writeStoredForm(to: &output)
        values[name] = value
    }

    /// Adds nested JSON under `name` (which must sort after every name added before it): `write`
    /// writes the value's text, exactly as `JSONValue.write(to:)` would (object members in key
    /// order), and returns the value.
    ///
    /// For nested JSON of a fixed shape (a trip's list of stop times), written straight from the
    /// source's fields instead of being sorted member by member again.
    public mutating func appendJSON(_ name: String, _ write: (inout JSONOutput) -> JSONValue) {
        appendName(name)
        output.append("{\"json\":")
        values[name] = .json(write(&output))
        output.append("}")
    }

    private mutating func appendName(_ name: String) {
        if !values.isEmpty { output.append(",") }
        output.appendString(name)
        output.append(":")
    }

    /// The values and their text, for the event.
    consuming func finish() -> (values: [String: Value], text: String) {
        output.append("}")
        return (values, output.text)
    }
}
