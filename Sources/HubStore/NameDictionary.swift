/// The small integers a dictionary table gives texts, as the write connection knows them: each text
/// is looked up or added once, then served from memory. The `names` table (entity ids, types,
/// routes) is the default; `AttributeShapeDictionary` keeps attribute templates in one too.
///
/// Texts added inside a transaction that rolls back are forgotten (`forget`), since their rows are gone.
struct NameDictionary {
    private var ids: [String: Int64] = [:]
    /// Texts added since the last `commit`, to forget if their transaction fails.
    private var pending: [String] = []
    /// Finds a text's id. Parameter: the text.
    private let lookup: String
    /// Adds a text, returning its id. Parameter: the text.
    private let insert: String
    /// How many ids memory holds before it starts over (forgetting only costs a lookup).
    private let capacity: Int

    /// A dictionary over the table `lookup` and `insert` read and add to.
    init(lookup: String = StoreSQL.nameID, insert: String = StoreSQL.insertName, capacity: Int = .max) {
        self.lookup = lookup
        self.insert = insert
        self.capacity = capacity
    }

    /// The id of `name` if memory holds it, without reading the table.
    func knownID(of name: String) -> Int64? { ids[name] }

    /// The id of `name`, adding it to the table when it is new.
    mutating func id(of name: String, on connection: SQLiteConnection) throws -> Int64 {
        if let id = ids[name] { return id }
        let id = try connection.query(lookup, [.text(name)]) { $0.int64(0) }.first
            ?? connection.query(insert, [.text(name)]) { $0.int64(0) }.first ?? 0
        if ids.count >= capacity { ids.removeAll(keepingCapacity: true) }
        ids[name] = id
        pending.append(name)
        return id
    }

    /// The transaction that used the texts committed: keep them.
    mutating func commit() { pending.removeAll(keepingCapacity: true) }

    /// The transaction rolled back: forget the texts it added.
    mutating func forget() {
        for name in pending { ids[name] = nil }
        pending.removeAll(keepingCapacity: true)
    }
}
