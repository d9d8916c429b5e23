/// What the store holds of one entity type: its entities and the attributes of their latest states.
public struct EntityTypeSummary: Sendable, Hashable {
    /// The type as stored.
    public var type: String
    /// How many entities have it as their latest type.
    public var entityCount: Int
    /// How many of those have a location.
    public var locatedCount: Int
    /// Per attribute name, how many of those entities carry it.
    public var attributeCounts: [String: Int]

    /// Creates a summary.
    public init(type: String, entityCount: Int, locatedCount: Int, attributeCounts: [String: Int]) {
        self.type = type
        self.entityCount = entityCount
        self.locatedCount = locatedCount
        self.attributeCounts = attributeCounts
    }
}
