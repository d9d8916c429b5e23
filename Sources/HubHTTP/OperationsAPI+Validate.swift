import Foundation

/// `POST /api/v1/validate`: an e-invoice in the body (XML or PDF), its validation report in the
/// answer. Nothing is stored, nothing is delivered to a route: suppliers check an invoice before
/// sending it, accounts payable one they were sent by other means.
extension OperationsAPI {
    /// Refuses before a body byte is read a request without a `validate` token or with a media
    /// type the validator does not read; else keeps a body up to the validator's limit.
    func admitValidation(_ head: HTTPRequest) -> RequestAdmission {
        guard let scopes = scopes(of: head) else { return .answer(Self.unauthorized) }
        guard scopes.contains("validate") else { return .answer(.error(403, "forbidden", "this token lacks the validate scope")) }
        guard ValidatedMediaType(contentType: head.headers["content-type"]) != nil else { return .answer(Self.unsupportedMediaType(head)) }
        return .body(maxBytes: hub.invoiceValidator.maxBytes)
    }

    /// The report on the body, 200 whatever the verdict (a document that cannot be judged has a
    /// report saying why); `name` in the query names the document in the report.
    func validate(_ request: HTTPRequest) -> HTTPResponse {
        guard let type = ValidatedMediaType(contentType: request.headers["content-type"]) else {
            return Self.unsupportedMediaType(request)
        }
        let name = request.queryValue("name").flatMap { $0.isEmpty ? nil : String($0.prefix(256)) } ?? "document"
        let report = hub.invoiceValidator.reportJSON(on: request.body, named: name, sentAs: type)
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .bytes(report))
    }

    private static func unsupportedMediaType(_ request: HTTPRequest) -> HTTPResponse {
        let given = request.headers["content-type"].map { "Content-Type \($0)" } ?? "no Content-Type"
        return HTTPResponse.error(415, "unsupported-media-type",
                                  "\(given): send the invoice as \(ValidatedMediaType.names.joined(separator: ", "))")
            .with(header: "Accept-Post", ValidatedMediaType.names.joined(separator: ", "))
    }
}
