import HubCore

/// An NGSI-LD error, answered as RFC 7807 ProblemDetails with the error type URIs of ETSI GS CIM 009
/// clause 6.3.2 (`https://uri.etsi.org/ngsi-ld/errors/<Kind>`).
struct NGSILDProblem: Error, Equatable {
    /// The error types this read-only view raises.
    enum Kind: String {
        /// A query argument or header that the operation cannot use (400).
        case badRequestData = "BadRequestData"
        /// A request that is not well-formed (400).
        case invalidRequest = "InvalidRequest"
        /// No such entity, type or attribute (404).
        case resourceNotFound = "ResourceNotFound"
        /// An operation this read-only view does not implement (answered 501, see `status`).
        case operationNotSupported = "OperationNotSupported"
        /// A page larger than the hub serves at once (403).
        case tooManyResults = "TooManyResults"
        /// A query whose evaluation would read more than the hub reads for one request (403).
        case tooComplexQuery = "TooComplexQuery"
        /// The hub failed (500).
        case internalError = "InternalError"
    }

    /// What kind of error.
    let kind: Kind
    /// What went wrong and what to do about it.
    let detail: String

    /// An error of `kind` saying `detail`.
    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The HTTP status (clause 6.3.2, table 6.3.2-1), except OperationNotSupported: the spec maps
    /// it to 422, but here it means a whole operation (a write, a subscription) that the view does
    /// not implement, which HTTP calls 501 Not Implemented.
    var status: Int {
        switch kind {
        case .badRequestData, .invalidRequest: 400
        case .resourceNotFound: 404
        case .operationNotSupported: 501
        case .tooManyResults, .tooComplexQuery: 403
        case .internalError: 500
        }
    }

    /// The ProblemDetails body.
    var json: JSONValue {
        .object([
            "type": .string("https://uri.etsi.org/ngsi-ld/errors/\(kind.rawValue)"),
            "title": .string(kind.rawValue), "status": .number(Double(status)), "detail": .string(detail),
        ])
    }

    /// The response: ProblemDetails as `application/json`, as NGSI-LD brokers answer errors.
    var response: HTTPResponse {
        HTTPResponse.text(status, json.jsonText, contentType: "application/json")
    }

    /// A BadRequestData error.
    static func badRequest(_ detail: String) -> NGSILDProblem { NGSILDProblem(.badRequestData, detail) }
}
