import Foundation

/// One HTTP request as the server received it, body complete.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path without the query, percent-decoded by libmicrohttpd (`/api/v1/events`).
    public var path: String
    /// Query arguments in order, decoded; a name may repeat.
    public var query: [(name: String, value: String)]
    /// Headers by lowercase name (the last one wins when repeated).
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a request.
    public init(method: String, path: String, query: [(name: String, value: String)] = [],
                headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Every value of a query argument.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The last value of a query argument, if given.
    public func queryValue(_ name: String) -> String? { queryValues(name).last }

    /// The path split at `/`, without empty parts.
    public var pathComponents: [String] { path.split(separator: "/").map(String.init) }
}
