import Foundation
import HubCore

/// A route published as an open dataset (`"openData"` in the route's configuration): listed in
/// `/api/v1/datasets` (DCAT-AP) with its licence and attribution, and exported whole.
public struct OpenDataSettings: Sendable, Hashable {
    /// The licence's URL, e.g. `https://www.etalab.gouv.fr/licence-ouverte-open-licence/` or
    /// `https://opendatacommons.org/licenses/odbl/1-0/`.
    public var licence: URL
    /// Who must be credited, as re-users should write it: `Métropole de Lyon, capteurs air`.
    public var attribution: String
    /// The dataset's title (the route's name when not given).
    public var title: String?
    /// What the dataset holds, for people browsing the portal.
    public var description: String?
    /// Who publishes it (the portal's organisation), when given.
    public var publisher: String?
    /// Keywords for the portal's search.
    public var keywords: [String]

    /// Creates the settings of a published route.
    public init(licence: URL, attribution: String, title: String? = nil, description: String? = nil,
                publisher: String? = nil, keywords: [String] = []) {
        self.licence = licence
        self.attribution = attribution
        self.title = title
        self.description = description
        self.publisher = publisher
        self.keywords = keywords
    }

    /// Reads a route's `openData` object: `licence` (an http(s) URL) and `attribution` are required.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["licence", "attribution", "title", "description", "publisher", "keywords"])
        let licenceText = try settings.string("licence")
        guard let url = URL.http(licenceText) else {
            throw SettingsError(path: settings.path(of: "licence"),
                                message: "expected the licence's URL (http or https), such as https://www.etalab.gouv.fr/licence-ouverte-open-licence/, found \"\(licenceText)\"")
        }
        let attribution = try settings.string("attribution")
        guard !attribution.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SettingsError(path: settings.path(of: "attribution"), message: "must name who re-users credit")
        }
        var keywords: [String] = []
        if let list = try settings.optionalArray("keywords") {
            for (index, item) in list.enumerated() {
                guard let word = item.stringValue, !word.isEmpty else {
                    throw SettingsError(path: "\(settings.path(of: "keywords"))[\(index)]", message: "expected a non-empty string")
                }
                keywords.append(word)
            }
        }
        self.init(licence: url, attribution: attribution, title: try settings.optionalString("title"),
                  description: try settings.optionalString("description"), publisher: try settings.optionalString("publisher"),
                  keywords: keywords)
    }
}
