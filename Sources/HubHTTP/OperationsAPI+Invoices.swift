import HubCore
import HubServices

// The invoice view's read: an invoice's Chorus Pro status history, found by its number.
extension OperationsAPI {
    /// `GET /api/v1/invoice-statuses?number=...`: the `InvoiceStatusChanged` events of the Chorus Pro
    /// invoices whose status records carry this invoice number (BT-1), oldest first, from the routes
    /// the caller may read. Several Chorus Pro invoices may share a number (two sellers): each event
    /// names its own in `chorusInvoiceID`.
    func invoiceStatuses(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token", "number", "limit"])
        guard let number = request.queryValue("number"), !number.isEmpty else {
            throw BadRequest("number is required: the invoice number (BT-1) whose Chorus Pro statuses to list")
        }
        let statuses = try hub.store.invoiceStatuses(number: number, hiddenRoutes: access.hiddenRoutes(among: hub.routes),
                                                     limit: QueryFilters.limit(request))
        return .json(200, bytes: EventEncoding.listing(statuses.lazy.map(\.event), ["number": .string(number)]))
    }
}
