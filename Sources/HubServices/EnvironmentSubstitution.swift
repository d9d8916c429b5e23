import HubCore
/// Replaces `${VAR}` and `${VAR:-default}` in every string of a JSON document, member names
/// included (FIWARE's `apikeys` are names), with values from the environment, so that secrets
/// live in the environment and never in the config file.
public enum EnvironmentSubstitution {
    /// The document with every reference replaced.
    ///
    /// - Throws: `SettingsError` naming the path of the string that refers to an unset variable
    ///   without a default, or that holds an unterminated `${`.
    public static func apply(to value: JSONValue, environment: [String: String], path: String = "") throws -> JSONValue {
        switch value {
        case .string(let text):
            return .string(try substitute(text, environment: environment, path: path))
        case .array(let elements):
            return .array(try elements.enumerated().map { index, element in
                try apply(to: element, environment: environment, path: "\(path)[\(index)]")
            })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                let name = try substitute(key, environment: environment, path: memberPath)
                guard result[name] == nil else {
                    throw SettingsError(path: memberPath, message: "becomes \"\(name)\" once the environment is read, a name another member already has")
                }
                result[name] = try apply(to: member, environment: environment, path: memberPath)
            }
            return .object(result)
        default:
            return value
        }
    }

    static func substitute(_ text: String, environment: [String: String], path: String) throws -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw SettingsError(path: path, message: "unterminated \"${\" in \"\(text)\"")
            }
            let reference = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let separator = reference.range(of: ":-") {
                name = reference[..<separator.lowerBound]
                fallback = reference[separator.upperBound...]
            } else {
                name = reference
                fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw SettingsError(path: path, message: "\"${\(reference)}\" is not a valid environment variable reference")
            }
            if let value = environment[String(name)] {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                throw SettingsError(path: path, message: "environment variable \(name) is not set")
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
