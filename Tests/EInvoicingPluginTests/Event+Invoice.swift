import HubCore

extension Event {
    /// The text of an attribute, or nil.
    func text(_ name: String) -> String? { attributes[name]?.text }

    /// The rule ids recorded in the `failures` attribute, in order.
    var failedRules: [String] {
        guard case .json(.array(let failures))? = attributes["failures"] else { return ["(no failures attribute)"] }
        return failures.compactMap { $0.objectValue?["rule"]?.stringValue }
    }

    /// The messages recorded in the `failures` attribute.
    var failureMessages: [String] {
        guard case .json(.array(let failures))? = attributes["failures"] else { return [] }
        return failures.compactMap { $0.objectValue?["message"]?.stringValue }
    }

    /// Each entry of the `failures` attribute as its text members (`rule`, `flag`, `message`, ...).
    var failures: [[String: String]] {
        guard case .json(.array(let failures))? = attributes["failures"] else { return [] }
        return failures.compactMap { $0.objectValue?.compactMapValues(\.stringValue) }
    }
}
