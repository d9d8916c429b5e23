/// Where `sensors.json` finds a device's id: a field of the payload, or a level of the MQTT topic.
enum SensorIDSource: Sendable, Hashable {
    /// The named field of the JSON object (a string or a whole number).
    case field(String)
    /// The level of the topic (or other origin) at this 0-based index, levels separated by `/`.
    case topicLevel(Int)
}
