import CMosquitto

/// The process-wide side of libmosquitto: `mosquitto_lib_init` must run once, before any thread
/// uses the library, and is not thread-safe itself.
enum MosquittoLibrary {
    /// The result of the one `mosquitto_lib_init()` call. Swift runs a global's initializer exactly
    /// once, under a lock, the first time it is read: that is what makes the call thread-safe.
    private static let initialization: Int32 = mosquitto_lib_init()

    /// Initialises libmosquitto on first use; later calls only report the first call's result.
    ///
    /// The library is never cleaned up: clients may live until the process exits.
    static func initialize() throws {
        let result = initialization
        guard result == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError(.libraryFailure, context: "mosquitto_lib_init failed", returnCode: result)
        }
    }

    /// libmosquitto's version as text, e.g. `2.0.11`.
    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        _ = mosquitto_lib_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}
