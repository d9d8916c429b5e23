import Foundation
import HubCore

/// Hides secrets in what the hub shows (the operations API, `hub check`) and logs: settings whose
/// names say they hold a secret, the query values and password of a URL. Config values come from
/// the environment already resolved (`${VAR}`), so this is the last place they can be held back.
public enum SecretRedaction {
    /// What a hidden value is shown as.
    public static let mask = "***"

    /// Words in a setting's name that mark its value (or, for an object, its member names, as in
    /// FIWARE's `apikeys`) as a secret.
    static let secretWords = ["key", "password", "passwd", "secret", "token", "credential", "authorization", "signature"]

    /// Whether a setting named `name` holds a secret.
    public static func isSecret(name: String) -> Bool {
        let lowered = name.lowercased()
        return secretWords.contains { lowered.contains($0) }
    }

    /// `settings` with every secret replaced by the mask: a secret member's text, numbers and
    /// array elements; and a secret object's member names (`"apikeys": {"<key>": {...}}` becomes
    /// `{"***1": {...}}`), its values redacted in turn.
    public static func settings(_ settings: JSONValue) -> JSONValue {
        switch settings {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (name, value) in members {
                result[name] = isSecret(name: name) ? masked(value) : self.settings(value)
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(self.settings))
        default:
            return settings
        }
    }

    private static func masked(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (index, name) in members.keys.sorted().enumerated() {
                result["\(mask)\(index + 1)"] = settings(members[name]!)
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(masked))
        case .null:
            return .null
        default:
            return .string(mask)
        }
    }

    /// `url` as text with its password and every query value masked (`?key=***`): an API key in
    /// a feed's URL is as secret as one in its headers.
    public static func url(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return mask }
        if components.password != nil { components.password = mask }
        if let items = components.queryItems, !items.isEmpty {
            components.percentEncodedQuery = items.map { "\($0.name)=\(mask)" }.joined(separator: "&")
        }
        return components.string ?? mask
    }
}
