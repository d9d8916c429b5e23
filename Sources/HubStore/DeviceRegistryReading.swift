/// The device registry as the store keeps it: every device heard from, folded as batches commit.
public protocol DeviceRegistryReading: AnyObject, Sendable {
    /// Every device the hub has heard from, by URN.
    func devices() throws -> [DeviceRecord]
    /// One device of the registry, if heard from.
    func device(_ urn: String) throws -> DeviceRecord?
}
