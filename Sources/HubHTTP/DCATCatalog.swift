import Foundation
import HubCore
import HubServices

/// The open-data catalog as DCAT-AP in JSON-LD: one `dcat:Dataset` per published route, with its
/// licence (`dct:license`), attribution (`dct:rights`), publisher, keywords, last modification,
/// and two `dcat:Distribution`s (the full event history as CSV, the latest state of each entity
/// as GeoJSON), the way open-data portals harvest catalogs.
enum DCATCatalog {
    /// The files each dataset is exported as.
    static let files = ["events.csv", "entities.geojson"]

    /// The JSON-LD context: the vocabularies' prefixes.
    static let context: JSONValue = .object([
        "dcat": .string("http://www.w3.org/ns/dcat#"), "dct": .string("http://purl.org/dc/terms/"),
        "foaf": .string("http://xmlns.com/foaf/0.1/"), "rdfs": .string("http://www.w3.org/2000/01/rdf-schema#"),
        "xsd": .string("http://www.w3.org/2001/XMLSchema#"),
    ])

    /// The catalog holding `datasets`, served at `<base>/api/v1/datasets`.
    static func catalog(datasets: [JSONValue], base: String) -> JSONValue {
        .object([
            "@context": context, "@id": .string("\(base)/api/v1/datasets"), "@type": .string("dcat:Catalog"),
            "dct:title": .string("Territory hub open data"),
            "dct:description": .string("Datasets the territory hub publishes: each route configured with openData, its events and the latest state of its entities."),
            "foaf:homepage": reference(base + "/"),
            "dcat:dataset": .array(datasets),
        ])
    }

    /// The dataset of a published route (`route.openData` is set).
    static func dataset(_ route: Route, base: String, modified: Timestamp?) throws -> JSONValue {
        guard let openData = route.openData else { return .null }
        let identifier = "\(base)/api/v1/datasets/\(route.name)"
        let licence = reference(openData.licence.absoluteString)
        let rights: JSONValue = .object(["@type": .string("dct:RightsStatement"), "rdfs:label": .string(openData.attribution)])
        let distributions = [
            distribution(url: "\(identifier)/events.csv", title: "Every event of \(route.name), oldest first (CSV, RFC 4180)",
                         mediaType: "text/csv", format: "CSV", licence: licence, rights: rights),
            distribution(url: "\(identifier)/entities.geojson", title: "The latest state of each entity of \(route.name) (GeoJSON, RFC 7946)",
                         mediaType: "application/geo+json", format: "GEOJSON", licence: licence, rights: rights),
        ]
        var members: [String: JSONValue] = [
            "@id": .string(identifier), "@type": .string("dcat:Dataset"), "dct:identifier": .string(route.name),
            "dct:title": .string(openData.title ?? route.name),
            "dct:description": .string(openData.description
                ?? "Events of the route \(route.name), decoded by \(route.connector) from \(route.sourceDescription)."),
            "dct:license": licence, "dct:rights": rights, "dcat:landingPage": reference(identifier),
            "dcat:keyword": .array(openData.keywords.map(JSONValue.string)),
            "dcat:distribution": .array(distributions),
        ]
        if let publisher = openData.publisher {
            members["dct:publisher"] = .object(["@type": .string("foaf:Agent"), "foaf:name": .string(publisher)])
        }
        if let modified { members["dct:modified"] = dateTime(modified) }
        return .object(members)
    }

    private static func distribution(url: String, title: String, mediaType: String, format: String, licence: JSONValue,
                                     rights: JSONValue) -> JSONValue {
        .object([
            "@id": .string(url), "@type": .string("dcat:Distribution"), "dct:title": .string(title),
            "dcat:accessURL": reference(url), "dcat:downloadURL": reference(url),
            "dcat:mediaType": reference("https://www.iana.org/assignments/media-types/\(mediaType)"),
            "dct:format": reference("http://publications.europa.eu/resource/authority/file-type/\(format)"),
            "dct:license": licence, "dct:rights": rights,
        ])
    }

    private static func reference(_ url: String) -> JSONValue { .object(["@id": .string(url)]) }

    private static func dateTime(_ time: Timestamp) -> JSONValue {
        .object(["@value": .string(time.iso8601), "@type": .string("xsd:dateTime")])
    }
}
