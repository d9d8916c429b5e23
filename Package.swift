// swift-tools-version:6.0
// The territory hub: Foundation, Dispatch and distribution C libraries only.
import PackageDescription

let package = Package(
    name: "territory-hub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hub", targets: ["hub"]),
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

        // The contracts: no C, no I/O.
        .target(name: "HubCore", path: "Sources/HubCore"),
        .target(name: "HubMQTT", dependencies: ["HubCore", "CMosquitto"], path: "Sources/HubMQTT"),
        .target(name: "HubStore", dependencies: ["HubCore", "CSQLite"], path: "Sources/HubStore"),
        .target(name: "HubFeeds", dependencies: ["HubCore"], path: "Sources/HubFeeds"),
        // The operations HTTP server and API (the dashboard is compiled in).
        .target(name: "HubHTTP", dependencies: ["HubCore", "HubStore", "CMicroHTTPD"], path: "Sources/HubHTTP",
                resources: [.embedInCode("Dashboard")]),

        // Connector plugins: each family imports HubCore only.
        .target(name: "SensorsPlugin", dependencies: ["HubCore"], path: "Plugins/Sensors",
                exclude: ["JSON/README.md", "SenML/README.md", "JSON/sample.json", "SenML/sample.json",
                          "TTN/README.md", "TTN/sample.json", "ChirpStack/README.md", "ChirpStack/sample.json",
                          "FIWAREIoTAgent/README.md", "FIWAREIoTAgent/sample.ul", "Codecs/README.md",
                          "SmartDataModels/README.md"]),
        .target(name: "MobilityPlugin", dependencies: ["HubCore"], path: "Plugins/Mobility",
                exclude: ["GTFSRealtime/README.md", "GTFSRealtime/sample.pb", "GTFSRealtime/sample.txt",
                          "GBFS/README.md", "GBFS/sample.json", "SIRILite/README.md", "SIRILite/sample.json",
                          "Waze/README.md", "Waze/sample.json"]),

        // E-invoicing: UBL, CII, Factur-X (PDF through qpdf) and Chorus Pro statuses.
        .target(name: "EInvoicingPlugin", dependencies: ["HubCore", "CQPDF"], path: "Plugins/EInvoicing",
                exclude: ["UBL/README.md", "UBL/sample.xml", "UBL/settings.json",
                          "CII/README.md", "CII/sample.xml", "CII/settings.json",
                          "FacturX/README.md", "FacturX/sample.pdf", "FacturX/settings.json",
                          "ChorusStatus/README.md", "ChorusStatus/sample.json", "ChorusStatus/settings.json"]),

        // Wiring, the command-line tool and the benchmarks.
        .target(name: "Hub", dependencies: ["HubCore", "HubMQTT", "HubStore", "HubHTTP", "HubFeeds", "SensorsPlugin", "MobilityPlugin", "EInvoicingPlugin"], path: "Sources/Hub"),
        .executableTarget(name: "hub", dependencies: ["Hub", "HubStore", "CSQLite", "MobilityPlugin"], path: "Sources/hub"),

        // Helpers for tests: a real Mosquitto broker on a free loopback port, temporary folders.
        .target(name: "HubTesting", dependencies: ["HubCore"], path: "Sources/HubTesting"),

        .testTarget(name: "HubCoreTests", dependencies: ["HubCore"]),
        .testTarget(name: "HubStoreTests", dependencies: ["HubStore", "HubTesting"]),
        .testTarget(name: "HubMQTTTests", dependencies: ["HubMQTT", "HubTesting"]),
        .testTarget(name: "SensorsPluginTests", dependencies: ["SensorsPlugin"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HubHTTPTests", dependencies: ["HubHTTP", "HubStore", "HubTesting"]),
        .testTarget(name: "HubFeedsTests", dependencies: ["HubFeeds", "HubTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MobilityPluginTests", dependencies: ["MobilityPlugin"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EInvoicingPluginTests", dependencies: ["EInvoicingPlugin"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HubIntegrationTests", dependencies: ["Hub", "HubHTTP", "HubMQTT", "HubStore", "HubFeeds", "HubTesting", "MobilityPlugin"]),
    ]
)
