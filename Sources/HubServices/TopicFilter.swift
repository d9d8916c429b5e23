import HubCore
/// An MQTT topic filter (MQTT 3.1.1 §4.7, 5.0 §4.8) with `+` and `#` wildcards and an optional
/// `$share/<group>/` prefix for shared subscriptions.
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter as written in config, `$share/...` prefix included: what is sent to the broker.
    public let text: String
    /// The shared-subscription group, when the filter starts with `$share/<group>/`.
    public let shareGroup: String?
    /// The filter that topics are matched against (without the `$share/<group>/` prefix).
    public let filter: String
    private let levels: [Substring]

    /// Parses and validates a filter.
    ///
    /// - Throws: `TopicFilterError` when the filter is empty, `#` is not alone in the last level,
    ///   `+` is not alone in its level, or a `$share` prefix has no group or no filter.
    public init(_ text: String) throws {
        self.text = text
        var filter = Substring(text)
        if text.hasPrefix("$share/") {
            let rest = text.dropFirst("$share/".count)
            guard let slash = rest.firstIndex(of: "/") else {
                throw TopicFilterError(filter: text, message: "a shared subscription needs $share/<group>/<filter>")
            }
            let group = rest[..<slash]
            guard !group.isEmpty, !group.contains(where: { "+#".contains($0) }) else {
                throw TopicFilterError(filter: text, message: "the share group must be non-empty and without wildcards")
            }
            shareGroup = String(group)
            filter = rest[rest.index(after: slash)...]
        } else {
            shareGroup = nil
        }
        guard !filter.isEmpty else { throw TopicFilterError(filter: text, message: "the filter is empty") }
        guard !filter.contains("\u{0}") else { throw TopicFilterError(filter: text, message: "the filter contains a NUL character") }
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains("#"), level != "#" || index != levels.count - 1 {
                throw TopicFilterError(filter: text, message: "'#' must be a whole level and the last one")
            }
            if level.contains("+"), level != "+" {
                throw TopicFilterError(filter: text, message: "'+' must be a whole level")
            }
        }
        self.filter = String(filter)
        self.levels = levels
    }

    /// Whether a concrete topic (as a message carries it) matches this filter.
    ///
    /// Topics beginning with `$` (such as `$SYS/...`) are not matched by a filter that begins with a wildcard.
    public func matches(_ topic: String) -> Bool {
        if topic.utf8.first == UInt8(ascii: "$"), let first = levels.first, first == "+" || first == "#" { return false }
        // Walks the topic's levels in place: this runs for every message and every route.
        var rest = Substring(topic)
        var exhausted = false
        for level in levels {
            if level == "#" { return true }
            if exhausted { return false }
            let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/"))
            if level != "+", level != (slash.map { rest[..<$0] } ?? rest) { return false }
            if let slash { rest = rest[rest.utf8.index(after: slash)...] } else { exhausted = true }
        }
        return exhausted
    }

    public var description: String { text }
}

/// A topic filter that is not valid MQTT.
public struct TopicFilterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The filter as written.
    public var filter: String
    /// What is wrong with it.
    public var message: String
    public var description: String { "invalid topic filter \"\(filter)\": \(message)" }
}
