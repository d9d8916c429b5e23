import HubCore

/// The roll-up changes of one batch, folded in memory from the events the batch stored and written
/// once per (entity, attribute, hour) as an upsert that merges them into the stored row. Only hours
/// are stored: a day is the sum of its hours, done when it is read (`StoreSQL.dailySeries`).
///
/// Only events actually inserted are folded (a re-delivered event is skipped by the store before it
/// gets here), so a value is counted once. Buckets are by observation time, so late and
/// out-of-order events land in the bucket they belong to; `last` is the value of the latest
/// observation, whatever the order of arrival.
package struct RollupFold {
    /// A bucket's key: the entity and the attribute by their `names` ids, and the hour's start.
    private struct Key: Hashable {
        var entity: Int64
        var attribute: Int64
        var bucket: Int64
    }

    /// A bucket's aggregates so far.
    private struct Aggregate {
        var count: Int64
        var min: Double
        var max: Double
        var sum: Double
        var last: Double
        var lastObservedAt: Int64

        mutating func add(_ value: Double, observedAt: Int64) {
            count += 1
            min = Swift.min(min, value)
            max = Swift.max(max, value)
            sum += value
            if observedAt >= lastObservedAt {
                last = value
                lastObservedAt = observedAt
            }
        }
    }

    /// One bucket's aggregates, as a store writes them.
    package struct Bucket {
        /// The entity's and the attribute's dictionary ids.
        package var entity: Int64, attribute: Int64
        /// The hour's start, microseconds since the epoch.
        package var bucket: Int64
        package var count: Int64
        package var min: Double, max: Double, sum: Double, last: Double
        package var lastObservedAt: Int64
    }

    private var aggregates: [Key: Aggregate] = [:]
    /// Keys in the order first touched, so the writes are deterministic.
    private var order: [Key] = []

    /// Whether nothing was folded.
    package var isEmpty: Bool { order.isEmpty }

    /// An empty fold.
    package init() {}

    /// The folded buckets, in the order first touched.
    package var buckets: [Bucket] {
        order.compactMap { key in
            aggregates[key].map { Bucket(entity: key.entity, attribute: key.attribute, bucket: key.bucket, count: $0.count,
                                         min: $0.min, max: $0.max, sum: $0.sum, last: $0.last, lastObservedAt: $0.lastObservedAt) }
        }
    }

    /// Folds every finite number attribute of a stored event, whose entity is `entity` in `names`,
    /// into its hour bucket.
    mutating func apply(_ event: Event, entity: Int64, on connection: SQLiteConnection) throws {
        try apply(entity: entity, observedAt: event.observedAt.microsecondsSinceEpoch, attributes: event.attributes, on: connection)
    }

    /// Folds the finite number attributes of one observation of `entity` (its `names` id) made at
    /// `observed` (microseconds since the epoch).
    mutating func apply(entity: Int64, observedAt observed: Int64, attributes: [String: Value], on connection: SQLiteConnection) throws {
        try apply(entity: entity, observedAt: observed, attributes: attributes) { try connection.names.id(of: $0, on: connection) }
    }

    /// The same with the attributes' dictionary ids given by `attributeID`.
    package mutating func apply(entity: Int64, observedAt observed: Int64, attributes: [String: Value],
                                attributeID: (String) throws -> Int64) throws {
        for (name, value) in attributes {
            guard case .number(let number, _) = value, number.isFinite else { continue }
            let attribute = try attributeID(name)
            let key = Key(entity: entity, attribute: attribute, bucket: SeriesStep.hour.bucket(of: observed))
            if let index = aggregates.index(forKey: key) {
                aggregates.values[index].add(number, observedAt: observed)
            } else {
                aggregates[key] = Aggregate(count: 1, min: number, max: number, sum: number, last: number, lastObservedAt: observed)
                order.append(key)
            }
        }
    }

    /// Forgets what was folded (after `write`, to fold the next part of a long backfill).
    mutating func removeAll() {
        aggregates.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }

    /// Merges every folded bucket into `rollups`, inside the batch's transaction.
    func write(on connection: SQLiteConnection) throws {
        guard !order.isEmpty else { return }
        let upsert = try connection.statement(StoreSQL.upsertRollup)
        for key in order {
            guard let aggregate = aggregates[key] else { continue }
            try upsert.execute([
                .integer(key.entity), .integer(key.attribute),
                .integer(SeriesStep.hour.microseconds / 1_000_000), .integer(key.bucket), .integer(aggregate.count),
                .real(aggregate.min), .real(aggregate.max), .real(aggregate.sum), .real(aggregate.last),
                .integer(aggregate.lastObservedAt),
            ])
        }
    }
}
