import HubStore

/// A `WHERE` clause built from the filters present, with its parameters numbered in order (`$1`,
/// `$2`, ...), shared by the PostgreSQL store's reads.
///
/// Names (entity, types, routes) are matched by their dictionary ids, found inside the query (a
/// name never stored matches nothing), so that the tables' integer indexes serve the filters; under
/// Citus the dictionary is a reference table, so the lookup stays on the node of the rows.
struct PostgresWhereClause {
    private var conditions: [String] = []
    /// The parameters, in the order the clause numbers them.
    private(set) var values: [PostgresValue] = []

    /// ` WHERE ...`, or nothing when no filter is present.
    var text: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    /// Adds `value` as the next parameter and returns its placeholder (`$3`).
    mutating func parameter(_ value: PostgresValue) -> String {
        values.append(value)
        return "$\(values.count)"
    }

    /// Adds a condition.
    mutating func add(_ condition: String) {
        conditions.append(condition)
    }

    /// The filter over a table of `alias` holding `entity_id`, `type_id`, `route_id` (dictionary
    /// ids), `observed_at`, `latitude` and `longitude`: `events` and `latest` both do.
    mutating func add(_ filter: EventFilter, alias: String) {
        if let types = Self.names(filter.types, parameter: &self) { add("\(alias).type_id \(types)") }
        if let entity = filter.entity {
            add("\(alias).entity_id = (SELECT id FROM names WHERE name = \(parameter(.text(entity))))")
        }
        if let routes = Self.names(filter.routes, parameter: &self) { add("\(alias).route_id \(routes)") }
        if !filter.hiddenRoutes.isEmpty {
            add("\(alias).route_id <> ALL(ARRAY(SELECT id FROM names WHERE name = ANY(\(parameter(.textArray(filter.hiddenRoutes))))))")
        }
        if let from = filter.from { add("\(alias).observed_at >= \(parameter(.bigint(from.microsecondsSinceEpoch)))") }
        if let to = filter.to { add("\(alias).observed_at < \(parameter(.bigint(to.microsecondsSinceEpoch)))") }
        if let box = filter.boundingBox {
            add("""
                \(alias).longitude BETWEEN \(parameter(.double(box.minLongitude))) AND \(parameter(.double(box.maxLongitude))) \
                AND \(alias).latitude BETWEEN \(parameter(.double(box.minLatitude))) AND \(parameter(.double(box.maxLatitude)))
                """)
        }
    }

    /// The test of an id column against `names` (nil when there is none): `= (SELECT ...)` for
    /// one, so that the planner reads the column's index in `seq` order for a page; `= ANY(ARRAY(SELECT
    /// ...))` for several. Either is looked up once before the rows are read (an InitPlan), never
    /// joined row by row.
    private static func names(_ names: [String], parameter: inout PostgresWhereClause) -> String? {
        switch names.count {
        case 0: return nil
        case 1: return "= (SELECT id FROM names WHERE name = \(parameter.parameter(.text(names[0]))))"
        default: return "= ANY(ARRAY(SELECT id FROM names WHERE name = ANY(\(parameter.parameter(.textArray(names))))))"
        }
    }

    /// The bound of a page: at least 1, at most `StoreLimits.maximumPageSize`.
    static func pageSize(_ limit: Int) -> Int64 { Int64(min(max(limit, 1), StoreLimits.maximumPageSize)) }
}
