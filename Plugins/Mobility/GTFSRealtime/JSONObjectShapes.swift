import HubCore

/// The members of small JSON objects whose names come from one short list, made by filling in a
/// copy of a dictionary that already holds the names rather than by inserting them one by one.
///
/// A trip update's stop times are three such objects each (the stop, its arrival, its departure),
/// thousands per feed, and hashing every name of every one of them again was most of what making
/// them cost. A copy of a dictionary has the same indices as its original, and setting a value
/// through an index hashes nothing, so an object costs one copy of its template.
struct JSONObjectShapes: Sendable {
    /// The names, in the order `set(_:_:)` numbers them.
    let names: [String]
    /// One template per subset of the names, by bit mask (bit `i`: `names[i]` present): every
    /// value null, and the index of each present name (nil for the others).
    private let templates: [(members: [String: JSONValue], indices: [Dictionary<String, JSONValue>.Index?])]

    /// Shapes for every subset of `names` (a few names: there are 2^count subsets).
    init(names: [String]) {
        precondition(names.count <= 8, "one template per subset of the names")
        self.names = names
        templates = (0..<(1 << names.count)).map { mask in
            var members = [String: JSONValue](minimumCapacity: mask.nonzeroBitCount)
            for (bit, name) in names.enumerated() where mask & (1 << bit) != 0 { members[name] = .null }
            return (members, names.map { members.index(forKey: $0) })
        }
    }

    /// An object holding the names whose bits are set in `mask`, each null until set.
    func object(_ mask: Int) -> Object {
        let template = templates[mask]
        return Object(members: template.members, indices: template.indices)
    }

    /// One object being filled in.
    struct Object {
        /// The members so far.
        private(set) var members: [String: JSONValue]
        fileprivate let indices: [Dictionary<String, JSONValue>.Index?]

        /// Sets the member named `names[position]`, which the object's mask must hold.
        mutating func set(_ position: Int, _ value: JSONValue) {
            members.values[indices[position]!] = value
        }
    }
}
