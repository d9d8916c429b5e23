import HubCore

/// The alarms the store keeps: open ones, their history, and the changes the alarm stage saves.
public protocol AlarmKeeping: AnyObject, Sendable {
    /// The alarms that are not cleared, oldest first.
    func openAlarms() throws -> [AlarmRecord]
    /// The alarm with this id, if kept.
    func alarm(id: Int64) throws -> AlarmRecord?
    /// The alarms `query` selects, newest first, at most `limit`.
    func alarms(matching query: AlarmQuery, limit: Int) throws -> [AlarmRecord]
    /// Inserts the alarms without an id and updates the others, in one transaction; returns them
    /// in the order given, each with its id.
    /// - Throws: `StoreError` (`.constraint` when a second open alarm of one rule and entity is inserted).
    @discardableResult
    func saveAlarms(_ alarms: [AlarmRecord]) throws -> [AlarmRecord]
    /// Deletes at most `limit` alarms cleared before `cutoff` (the history's retention); returns how many.
    func deleteClearedAlarms(before cutoff: Timestamp, limit: Int) throws -> Int
}
