// swift-tools-version:6.2
// The territory hub: Foundation, Dispatch and distribution C libraries only.
import Foundation
import PackageDescription

/// Everything in a plugin family's folder that is not Swift source (each connector's README, sample
/// and settings), so that adding a connector is one folder and one line, not also a list here.
func connectorDocuments(in family: String) -> [String] {
    let root = URL(fileURLWithPath: Context.packageDirectory).appendingPathComponent(family)
    let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
        .compactMap { $0 as? URL } ?? []
    return files.filter { $0.pathExtension != "swift" && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        .map { String($0.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)) }
        .sorted()
}

/// A connector family: one folder per connector under `Plugins/<Family>/`, importing the kit
/// (HubCore, and HubXML for XML formats) and nothing of the runtime.
func connectorFamily(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
    .target(name: "\(name)Plugin", dependencies: ["HubCore"] + dependencies, path: "Plugins/\(name)",
            exclude: connectorDocuments(in: "Plugins/\(name)"))
}

let package = Package(
    name: "territory-hub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hub", targets: ["hub"]),
        .executable(name: "hub-bench", targets: ["hub-bench"]),
        .library(name: "HubCore", targets: ["HubCore"]),
    ],
    targets: [
        // C libraries from the distribution, each behind a thin shim.
        .systemLibrary(name: "CMosquitto", path: "Sources/CMosquitto", pkgConfig: "libmosquitto",
                       providers: [.apt(["libmosquitto-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CQPDF", path: "Sources/CQPDF", pkgConfig: "libqpdf",
                       providers: [.apt(["libqpdf-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // The connector kit: what a connector plugin imports, and nothing else. No I/O; its one C
        // library is libcrypto, for the SHA-256 of event ids.
        .target(name: "HubCore", dependencies: ["CCrypto"], path: "Sources/HubCore"),
        // The kit's XML reader, for connectors of XML formats: libxml2, so that no byte can trap.
        .target(name: "HubXML", dependencies: ["HubCore", "CLibXML2"], path: "Sources/HubXML"),
        // What the doors, the store and the server share: configuration, routes, the delivery
        // contract (Inbox, Delivery, Door), the bus, metrics and logging. No C, no I/O.
        .target(name: "HubServices", dependencies: ["HubCore"], path: "Sources/HubServices"),

        // The doors, each given an Inbox by the runtime.
        .target(name: "HubMQTT", dependencies: ["HubCore", "HubServices", "CMosquitto"], path: "Sources/HubMQTT"),
        .target(name: "HubFeeds", dependencies: ["HubCore", "HubServices", "CCurl"], path: "Sources/HubFeeds"),
        .target(name: "HubFolders", dependencies: ["HubCore", "HubServices"], path: "Sources/HubFolders"),
        // The store.
        .target(name: "HubStore", dependencies: ["HubCore", "HubServices", "CSQLite"], path: "Sources/HubStore"),
        // The store on PostgreSQL (libpq), for several hubs sharing one database.
        .target(name: "HubPostgres", dependencies: ["HubCore", "HubServices", "HubStore", "CLibPQ"], path: "Sources/HubPostgres"),
        // The operations HTTP server, API and webhook door (the dashboard is compiled in).
        .target(name: "HubHTTP", dependencies: ["HubCore", "HubServices", "HubStore", "CMicroHTTPD"], path: "Sources/HubHTTP",
                resources: [.embedInCode("Dashboard")]),

        // Connector plugins, one family a target; a connector is one folder and one line in its family's list.
        connectorFamily("Sensors", dependencies: ["HubXML"]),
        connectorFamily("Mobility"),
        connectorFamily("EInvoicing", dependencies: ["HubXML", "CQPDF", "CZlib"]),

        // The wiring: builds the routes and doors from a configuration, runs them, stops them gracefully;
        // the list of compiled-in connectors.
        .target(name: "HubRuntime", dependencies: [
            "HubCore", "HubServices", "HubMQTT", "HubFeeds", "HubFolders", "HubStore", "HubPostgres", "HubHTTP", "CCurl",
            "SensorsPlugin", "MobilityPlugin", "EInvoicingPlugin",
        ], path: "Sources/HubRuntime"),
        // A simulated fleet of field gateways publishing over MQTT (`hub simulate`, benchmarks, tests).
        .target(name: "HubSimulator", dependencies: ["HubCore", "HubServices", "HubMQTT"], path: "Sources/HubSimulator"),
        // `hub demo`: the transport partners' recorded feeds served live, sample invoices dropped in.
        .target(name: "HubDemo", dependencies: ["HubCore", "HubHTTP", "MobilityPlugin"], path: "Sources/HubDemo"),
        // Command-line parsing and output shared by the executables.
        .target(name: "HubCommandLine", path: "Sources/HubCommandLine"),

        // The command-line tool.
        .executableTarget(name: "hub", dependencies: [
            "HubCore", "HubServices", "HubRuntime", "HubStore", "HubHTTP", "HubSimulator", "HubCommandLine", "HubDemo",
            "EInvoicingPlugin",
        ], path: "Sources/hub"),
        // The benchmarks (`hub bench` runs them), apart so that `hub` links none of their code.
        .executableTarget(name: "hub-bench", dependencies: [
            "HubCore", "HubServices", "HubRuntime", "HubStore", "HubMQTT", "HubSimulator", "HubCommandLine", "CSQLite", "HubHTTP",
            "MobilityPlugin", "EInvoicingPlugin", "HubPostgres", "HubTesting",
        ], path: "Benchmarks", exclude: ["paho_ingest.py"]),
        // A connector fed arbitrary bytes: libFuzzer's target when built by scripts/fuzz with
        // -sanitize=fuzzer,address -DHUB_FUZZING, a replayer of input files otherwise.
        .executableTarget(name: "hub-fuzz", dependencies: ["HubCore", "HubServices", "HubRuntime", "CLibFuzzer"], path: "Fuzz",
                          exclude: ["Crashers"]),

        // What tests share: fixtures, envelopes, settings, error assertions, processes, a real
        // Mosquitto broker on a free port, temporary folders.
        .target(name: "HubTesting", dependencies: ["HubCore", "HubServices"], path: "Sources/HubTesting"),

        .testTarget(name: "HubCoreTests", dependencies: ["HubCore", "HubTesting"]),
        .testTarget(name: "HubServicesTests", dependencies: ["HubCore", "HubServices", "HubTesting"]),
        // The store's tests, each contract suite run against SQLite and PostgreSQL.
        .testTarget(name: "HubStoreTests", dependencies: ["HubCore", "HubServices", "HubStore", "HubPostgres", "HubTesting"]),
        .testTarget(name: "HubMQTTTests", dependencies: ["HubCore", "HubServices", "HubMQTT", "HubTesting"]),
        .testTarget(name: "HubHTTPTests", dependencies: ["HubCore", "HubServices", "HubHTTP", "HubStore", "HubPostgres", "HubTesting"]),
        .testTarget(name: "HubFoldersTests", dependencies: ["HubFolders"]),
        .testTarget(name: "HubFeedsTests", dependencies: ["HubCore", "HubServices", "HubFeeds", "HubTesting"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SensorsPluginTests", dependencies: ["SensorsPlugin", "HubCore", "HubTesting"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "MobilityPluginTests", dependencies: ["MobilityPlugin", "HubCore", "HubServices", "HubTesting"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HubXMLTests", dependencies: ["HubXML", "HubCore", "HubServices"]),
        .testTarget(name: "EInvoicingPluginTests", dependencies: ["EInvoicingPlugin", "HubCore", "HubServices", "HubXML", "HubTesting", "CZlib"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "HubIntegrationTests", dependencies: [
            "HubCore", "HubServices", "HubRuntime", "HubHTTP", "HubMQTT", "HubStore", "HubFeeds", "HubTesting",
            "MobilityPlugin",
        ]),
        .testTarget(name: "HubCommandLineTests", dependencies: ["HubCommandLine"]),
        .testTarget(name: "HubDemoTests", dependencies: ["HubDemo", "HubCore", "HubHTTP", "MobilityPlugin", "HubTesting"]),
        // Checks on the repository itself: each connector's README example is what `hub decode`
        // prints, every connector folder is compiled in, no two paths differ only by case.
        .testTarget(name: "RepositoryTests", dependencies: ["HubCore", "HubServices", "HubRuntime", "HubTesting"]),
    ]
)
