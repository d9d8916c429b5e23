import HubCore

/// The write connection with what it knows of the database: the `names` ids it has resolved and
/// the event partitions it knows exist, so that a batch asks the server only for what is new.
///
/// Both only grow with what is committed (a name is added, a partition created, outside any batch
/// transaction), so they stay true after a failed batch; another hub may drop a partition
/// (retention): a write that finds none for its rows clears `partitionDays` and tries again.
final class PostgresWriteSession: @unchecked Sendable {
    // @unchecked Sendable: used only inside `PostgresStore.writer`'s Mutex, one thread at a time.

    /// The connection.
    let connection: PostgresConnection
    /// Dictionary ids by name.
    private(set) var nameIDs: [String: Int64] = [:]
    /// The days (`PostgresPartitions.day(of:)`) whose event partition exists.
    var partitionDays: Set<Int64> = []
    /// How many ids memory holds before it starts over (forgetting only costs a lookup).
    private static let namesRemembered = 1_000_000

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The id of a name `resolve` found.
    func id(of name: String) throws -> Int64 {
        guard let id = nameIDs[name] else {
            throw PostgresError(.unexpectedResult, "the name \"\(name.prefix(100))\" has no id in the dictionary")
        }
        return id
    }

    /// Finds (adding the new ones) the dictionary ids of `names`, in two statements whatever their number.
    func resolve(_ names: Set<String>) throws {
        let unknown = names.filter { nameIDs[$0] == nil }.sorted()
        guard !unknown.isEmpty else { return }
        if nameIDs.count + unknown.count > Self.namesRemembered { nameIDs.removeAll(keepingCapacity: true) }
        let values: [PostgresValue] = [.textArray(unknown)]
        try connection.execute("INSERT INTO names (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING", values)
        var ids: [String: Int64] = [:]
        for (name, id) in try connection.query("SELECT name, id FROM names WHERE name = ANY($1::text[])", values, row: { ($0.text(0), $0.int64(1)) }) {
            ids[name] = id
        }
        // The server keeps a name holding U+0000 with U+FFFD instead: found under that text.
        for name in unknown { nameIDs[name] = ids[PostgresValue.storedText(name)] }
    }
}
