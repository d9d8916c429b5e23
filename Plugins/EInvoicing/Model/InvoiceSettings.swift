import HubCore

/// The settings every invoice connector (UBL, CII, Factur-X) reads.
public struct InvoiceSettings: Sendable {
    /// The largest document accepted, in bytes (`maxBytes`, default 10 MiB).
    public var maxBytes: Int
    /// Whether SIREN, SIRET and FR VAT numbers are checked (`frenchIdentifiers`, default true).
    public var checkFrenchIdentifiers: Bool

    /// Reads the settings; throws `SettingsError` naming a bad or unknown one.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["maxBytes", "frenchIdentifiers"])
        maxBytes = try settings.optionalInteger("maxBytes", in: 1...(256 << 20)) ?? 10 << 20
        checkFrenchIdentifiers = try settings.optionalBool("frenchIdentifiers") ?? true
    }
}
