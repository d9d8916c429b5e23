import EInvoicingPlugin
import Foundation
import HubHTTP

/// The e-invoicing plugin's validator as `POST /api/v1/validate` calls it.
extension InvoiceValidator: InvoiceValidating {
    /// The report's JSON, the document read as the media type it was sent with.
    public func reportJSON(on document: Data, named name: String, sentAs type: ValidatedMediaType) -> Data {
        validate(document, named: name, as: type == .pdf ? .pdf : .xml).jsonData
    }
}
