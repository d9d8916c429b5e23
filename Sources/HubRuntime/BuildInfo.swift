import HubHTTP
import HubMQTT
import HubServices
import HubStore

/// `hub_build_info`: what this hub is and the libraries it runs on, as labels of a gauge that is
/// always 1 (Prometheus's convention for build information), so that a dashboard or an alert can
/// tell which hubs run which version.
struct BuildInfo: MetricFamilyProvider {
    /// The hub's release version.
    static let version = "0.1.0"

    func metricFamilies() -> [MetricFamily] {
        [MetricFamily(name: "hub_build_info", help: "The hub's version and the versions of the libraries it runs on (always 1).",
                      type: "gauge", samples: [MetricFamily.Sample(labels: [
                          "version": Self.version, "libmosquitto": MQTTClient.libraryVersion,
                          "sqlite": SQLiteStore.libraryVersion, "libmicrohttpd": HTTPServer.libraryVersion,
                      ], value: 1)])]
    }
}
