/// The Factur-X / ZUGFeRD profile an invoice declares in BT-24, which says which reference judges it
/// (`InvoiceReferences`).
///
/// MINIMUM and BASIC WL are not EN 16931 invoices: they carry no lines (and MINIMUM no buyer
/// address or line totals), so they are judged by their own profile's rules instead.
public enum InvoiceProfile: String, Sendable {
    /// Factur-X MINIMUM (`urn:factur-x.eu:1p0:minimum`).
    case minimum = "MINIMUM"
    /// Factur-X BASIC WL (`urn:factur-x.eu:1p0:basicwl`).
    case basicWL = "BASIC WL"
    /// Factur-X BASIC (`urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic`).
    case basic = "BASIC"
    /// EN 16931 itself, or the Factur-X EN16931 profile (`urn:cen.eu:en16931:2017`).
    case en16931 = "EN16931"
    /// Factur-X EXTENDED (`urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended`).
    case extended = "EXTENDED"
    /// An identifier the hub does not recognise: checked as EN 16931.
    case other = "OTHER"

    /// The profile named by a BT-24 value.
    public init(specificationID: String?) {
        let id = (specificationID ?? "").lowercased()
        let contains = { (part: String) in Self.contains(id, part) }
        if contains("factur-x.eu:1p0:minimum") || contains("zugferd.de:2p0:minimum") { self = .minimum }
        else if contains("factur-x.eu:1p0:basicwl") || contains("zugferd.de:2p0:basicwl") { self = .basicWL }
        else if contains("factur-x.eu:1p0:basic") || contains("zugferd.de:2p0:basic") { self = .basic }
        else if contains("factur-x.eu:1p0:extended") || contains("zugferd.de:2p0:extended") { self = .extended }
        else if id.hasPrefix("urn:cen.eu:en16931:2017") { self = .en16931 }
        else { self = .other }
    }

    /// Whether `text` holds `part` (ASCII): byte by byte when `text` is ASCII too, as identifiers
    /// are (the same answer as a string search, without a CFString search for each identifier).
    private static func contains(_ text: String, _ part: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        let bytes = Array(text.utf8), part = Array(part.utf8)
        guard part.count <= bytes.count else { return false }
        return (0...(bytes.count - part.count)).contains { start in bytes[start..<(start + part.count)].elementsEqual(part) }
    }
}
