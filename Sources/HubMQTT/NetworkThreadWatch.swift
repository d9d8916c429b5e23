import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells an `MQTTClient` when libmosquitto's network thread has ended.
///
/// libmosquitto's thread (`mosquitto_loop_start`) retries lost and refused connections by itself,
/// but gives up for good after some errors: a failed TLS handshake, an MQTT 5 broker refusing the
/// connection or sending DISCONNECT, a protocol error. It says nothing when it does. The client
/// therefore marks the thread, from a callback running on it, with a thread-specific value whose
/// destructor runs when the thread exits, and starts a new thread.
enum NetworkThreadWatch {
    /// The name libmosquitto 2 gives its network thread on Linux.
    static let threadName = "mosquitto loop"

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { value in
            guard let value else { return }
            Unmanaged<MQTTClient>.fromOpaque(value).takeUnretainedValue().networkThreadEnded()
        }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// Arranges for `client.networkThreadEnded()` to be called when the calling thread exits, if
    /// it is libmosquitto's network thread; on any other thread it does nothing (libmosquitto also
    /// logs on the threads that call it, and a worker thread ending must not look like the network
    /// thread ending). The client must outlive the thread, which it does: a running client is
    /// retained until `stop()` has joined the thread.
    ///
    /// `onNetworkThread` is for the callbacks only that thread runs (CONNACK, SUBACK, PUBACK, an
    /// incoming message): libmosquitto names its thread from the thread that created it, after
    /// `pthread_create` returns, so on a loaded machine a broker's quick refusal can reach the new
    /// thread before its name does, and the name alone would miss it.
    static func watchCurrentThread(for client: MQTTClient, onNetworkThread: Bool = false) {
        guard pthread_getspecific(key) == nil, onNetworkThread || isNetworkThread else { return }
        _ = pthread_setspecific(key, Unmanaged.passUnretained(client).toOpaque())
    }

    /// Whether the calling thread is libmosquitto's network thread, judged by its name.
    static var isNetworkThread: Bool {
        Thread.current.name == threadName
    }
}
