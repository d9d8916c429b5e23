import Foundation
import HubCore

/// Reads a GBFS discovery file (`gbfs.json`, 2.x or 3.0) for the URLs of the files the hub decodes.
enum GBFSDiscovery {
    /// The files fetched after `gbfs.json`, in this order (information before status, so the
    /// connector can join them).
    static let wanted = ["station_information", "station_status", "free_bike_status", "vehicle_status"]

    /// The URLs of the wanted files that the discovery document lists; 2.x lists feeds per
    /// language (the first language is used), 3.0 lists them once.
    static func urls(in body: Data) -> [URL] {
        guard let document = try? JSONValue(parsing: body), let data = document["data"]?.objectValue else { return [] }
        let feeds: [JSONValue]
        if let list = data["feeds"]?.arrayValue {
            feeds = list
        } else if let language = data.keys.sorted().first, let list = data[language]?["feeds"]?.arrayValue {
            feeds = list
        } else {
            return []
        }
        var byName: [String: URL] = [:]
        for feed in feeds {
            if let name = feed["name"]?.stringValue, let text = feed["url"]?.stringValue, let url = URL(string: text),
               ["http", "https"].contains(url.scheme?.lowercased() ?? "") {
                byName[name] = url
            }
        }
        return wanted.compactMap { byName[$0] }
    }
}
