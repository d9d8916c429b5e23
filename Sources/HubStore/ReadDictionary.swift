import HubCore

/// What a read connection remembers of the store's dictionary tables between reads: the texts of
/// `names` and the templates of `attribute_shapes`, by id, so that a listing reads the events
/// table alone instead of joining both for every row.
///
/// Both tables only grow and an id never changes its text, so what was read once stays true while
/// the connection lives (a restore opens new connections). Each memory is bounded: when full it
/// starts over, which costs one lookup by primary key per text read again.
struct ReadDictionary {
    /// How many names memory holds before it starts over.
    static let rememberedNames = 32_768
    /// How many templates memory holds before it starts over.
    static let rememberedTemplates = 4_096

    /// A template and whether events of it can be listed as stored (`StoredAttributes.canonicalText`).
    struct Template {
        /// The attribute JSON with each number replaced by `AttributeShape.hole`.
        let text: String
        /// Whether the template reads back to itself through `Value`s (`StoredAttributes.isCanonical(template:)`).
        let isCanonical: Bool
    }

    private var names: [Int64: String] = [:]
    private var templates: [Int64: Template] = [:]

    /// The text of name `id`.
    mutating func name(_ id: Int64, on connection: SQLiteConnection) throws -> String {
        if let name = names[id] { return name }
        guard let name = try connection.query(StoreSQL.nameByID, [.integer(id)], row: { $0.text(0) }).first else {
            throw StoreError(.invalidRow, "an event refers to name \(id), which the names table does not hold")
        }
        if names.count >= Self.rememberedNames { names.removeAll(keepingCapacity: true) }
        names[id] = name
        return name
    }

    /// The template `id`.
    mutating func template(_ id: Int64, on connection: SQLiteConnection) throws -> Template {
        if let template = templates[id] { return template }
        guard let text = try connection.query(StoreSQL.shapeByID, [.integer(id)], row: { $0.text(0) }).first else {
            throw StoreError(.invalidRow, "an event refers to attribute template \(id), which attribute_shapes does not hold")
        }
        let template = Template(text: text, isCanonical: StoredAttributes.isCanonical(template: text))
        if templates.count >= Self.rememberedTemplates { templates.removeAll(keepingCapacity: true) }
        templates[id] = template
        return template
    }
}
