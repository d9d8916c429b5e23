/// The ids the `attribute_shapes` table gives attribute templates (`AttributeShape`), as the write
/// connection knows them.
///
/// A template is given an id the second time the connection meets it: one seen once may never come
/// back (attributes holding a text that changes with every event, an invoice's number), and such an
/// event is stored with its whole text rather than filling the table with templates used once.
/// Both memories are bounded; forgetting only means a few more events stored whole.
/// Templates added inside a transaction that rolls back are forgotten (`forget`), like names.
struct AttributeShapeDictionary {
    /// The longest template given an id; a longer one is kept whole in its event.
    static let longestTemplate = 2048
    /// How many templates each memory holds before it starts over.
    static let remembered = 100_000

    private var ids = NameDictionary(lookup: StoreSQL.shapeID, insert: StoreSQL.insertShape, capacity: remembered)
    private var seenOnce: Set<String> = []
    /// The template each entity's last event had, with its id: an entity's readings mostly share
    /// one, and comparing it costs less than hashing it (a template is 100 bytes and more).
    private var lastByEntity: [Int64: (template: String, id: Int64)] = [:]

    /// The id of `template`, adding it to the table when this is at least its second sighting;
    /// nil when the event should keep its whole text.
    mutating func id(of template: String, on connection: SQLiteConnection) throws -> Int64? {
        if let id = ids.knownID(of: template) { return id }
        guard template.utf8.count <= Self.longestTemplate else { return nil }
        guard seenOnce.remove(template) != nil else {
            if seenOnce.count >= Self.remembered { seenOnce.removeAll(keepingCapacity: true) }
            seenOnce.insert(template)
            return nil
        }
        return try ids.id(of: template, on: connection)
    }

    /// The same for the template of an event of `entity` (a `names` id).
    mutating func id(of template: String, entity: Int64, on connection: SQLiteConnection) throws -> Int64? {
        if let last = lastByEntity[entity], last.template == template { return last.id }
        guard let id = try id(of: template, on: connection) else { return nil }
        if lastByEntity.count >= Self.remembered { lastByEntity.removeAll(keepingCapacity: true) }
        lastByEntity[entity] = (template, id)
        return id
    }

    /// The transaction that used the templates committed: keep them.
    mutating func commit() { ids.commit() }

    /// The transaction that used the templates rolled back: their rows are gone, so are their ids.
    mutating func forget() {
        ids.forget()
        lastByEntity.removeAll()
    }
}
