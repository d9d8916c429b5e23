/// The small integers the `names` table gives entity ids, types and routes, as the write connection
/// knows them: each name is looked up or added once, then served from memory.
///
/// Names added inside a transaction that rolls back are forgotten (`forget`), since their rows are gone.
struct NameDictionary {
    private var ids: [String: Int64] = [:]
    /// Names added since the last `commit`, to forget if their transaction fails.
    private var pending: [String] = []

    /// The id of `name`, adding it to the table when it is new.
    mutating func id(of name: String, on connection: SQLiteConnection) throws -> Int64 {
        if let id = ids[name] { return id }
        let id = try connection.query(StoreSQL.nameID, [.text(name)]) { $0.int64(0) }.first
            ?? connection.query(StoreSQL.insertName, [.text(name)]) { $0.int64(0) }.first ?? 0
        ids[name] = id
        pending.append(name)
        return id
    }

    /// The transaction that used the names committed: keep them.
    mutating func commit() { pending.removeAll(keepingCapacity: true) }

    /// The transaction rolled back: forget the names it added.
    mutating func forget() {
        for name in pending { ids[name] = nil }
        pending.removeAll(keepingCapacity: true)
    }
}
