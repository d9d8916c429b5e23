import Foundation

extension URL {
    /// `text` as an http or https URL with a host (a feed's address, a licence's page); nil for any
    /// other text.
    static func http(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else { return nil }
        return url
    }
}
