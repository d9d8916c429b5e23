import Foundation

/// What `POST /api/v1/validate` needs to judge an e-invoice. HubHTTP knows no plugin: the runtime
/// hands it the e-invoicing plugin's validator through `HubOperations.invoiceValidator`.
public protocol InvoiceValidating: Sendable {
    /// The largest document judged, in bytes: the endpoint's body limit (the server's
    /// `maxRequestBytes` caps it too).
    var maxBytes: Int { get }
    /// The validation report on `document`, called `name` and sent as `type`, as JSON. Never an
    /// error: a document that cannot be judged has a report saying why. Nothing is stored.
    func reportJSON(on document: Data, named name: String, sentAs type: ValidatedMediaType) -> Data
}

/// The media types `POST /api/v1/validate` takes: invoice XML (UBL, CII) and PDF (Factur-X, ZUGFeRD).
public enum ValidatedMediaType: String, Sendable {
    /// `application/xml` or `text/xml`.
    case xml
    /// `application/pdf`.
    case pdf

    /// The names accepted in `Content-Type`, for the endpoint's 415 answer.
    public static let names = ["application/xml", "text/xml", "application/pdf"]

    /// The type a `Content-Type` header names (parameters such as `charset` ignored, case
    /// ignored); nil when it names none the endpoint takes.
    public init?(contentType: String?) {
        let essence = contentType?.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch essence {
        case "application/xml", "text/xml": self = .xml
        case "application/pdf": self = .pdf
        default: return nil
        }
    }
}
