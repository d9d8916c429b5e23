import Foundation

/// The dashboard's files, compiled into the binary (no CDN, works offline).
enum Dashboard {
    static func response(for parts: [String]) -> HTTPResponse {
        let name = parts.count == 2 ? parts[1] : "index.html"
        let file: (bytes: [UInt8], type: String)?
        switch (parts.count, name) {
        case (0, _), (1, _), (2, "index.html"): file = (PackageResources.index_html, "text/html; charset=utf-8")
        case (2, "dashboard.css"): file = (PackageResources.dashboard_css, "text/css; charset=utf-8")
        case (2, "dashboard.js"): file = (PackageResources.dashboard_js, "text/javascript; charset=utf-8")
        default: file = nil
        }
        guard let file else { return .error(404, "not-found", "the dashboard has no file \(name)") }
        return HTTPResponse(status: 200, headers: ["Content-Type": file.type, "Cache-Control": "no-cache"],
                            body: .bytes(Data(file.bytes)))
    }
}
