import HubCore

/// The settings every invoice connector (UBL, CII, Factur-X) reads.
public struct InvoiceSettings: Sendable {
    /// The largest document accepted, in bytes (`maxBytes`, default 10 MiB).
    public var maxBytes: Int
    /// Whether a second document with the same seller, number and year is flagged (`flagDuplicates`, default true).
    public var flagDuplicates: Bool
    /// How many invoices the duplicate check remembers per route (`duplicateMemory`, default 100,000).
    public var duplicateMemory: Int
    /// Whether SIREN, SIRET and FR VAT numbers are checked (`frenchIdentifiers`, default true).
    public var checkFrenchIdentifiers: Bool

    /// Reads the settings; throws `SettingsError` naming a bad or unknown one.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["maxBytes", "flagDuplicates", "duplicateMemory", "frenchIdentifiers"])
        maxBytes = try settings.optionalInteger("maxBytes", in: 1...(256 << 20)) ?? 10 << 20
        flagDuplicates = try settings.optionalBool("flagDuplicates") ?? true
        duplicateMemory = try settings.optionalInteger("duplicateMemory", in: 1...10_000_000) ?? 100_000
        checkFrenchIdentifiers = try settings.optionalBool("frenchIdentifiers") ?? true
    }
}
