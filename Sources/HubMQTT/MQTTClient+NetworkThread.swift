import CMosquitto
import Dispatch
import Foundation
import HubServices

// Keeping libmosquitto's network thread alive: starting it, and starting it over when it ends.
extension MQTTClient {
    /// Called by `NetworkThreadWatch` on libmosquitto's network thread as it exits.
    ///
    /// libmosquitto retries lost connections and MQTT 3.1.1 refusals itself, but its thread ends
    /// for good after a failed TLS handshake, an MQTT 5 refusal or DISCONNECT, or a protocol error.
    /// The hub must keep trying whatever happened (a renewed broker certificate, a broker that was
    /// busy), so the client joins the ended thread and, after the longest reconnect delay, starts a
    /// new one and connects again. A thread ended by `stop()` is not restarted.
    func networkThreadEnded() {
        let libraryError = takeLastLibraryError()
        let (running, previous): (Bool, MQTTConnectionState) = monitor.withLock {
            sessionUp = false
            return (phase == .running && !paused, currentState)
        }
        guard running else { return }
        metrics?.mqttConnected.set(0)
        let reason: String
        switch (previous, libraryError) {
        case (_, let error?): reason = error
        case (.reconnecting(let earlier), nil): reason = earlier
        default: reason = "libmosquitto's network thread ended"
        }
        let delay = options.reconnectDelayMaxSeconds
        logger.warning("libmosquitto stopped retrying; the client starts over", endpointMetadata([
            "reason": reason, "in": "\(delay) s"]))
        setState(.reconnecting(reason: reason))
        supervisor.async { [self] in
            guard shouldConnect else { return }
            if networkThreadRunning {
                mosquitto_loop_stop(handle, false)  // joins the thread that has just ended
                networkThreadRunning = false
            }
            // Until the new thread runs, publishes from other threads are queued, not written by the caller.
            mosquitto_threaded_set(handle, true)
            restartNetworkThread(in: delay)
        }
    }

    /// After `delay` seconds, connects again and starts a new network thread; when libmosquitto
    /// refuses that at once (a TLS handshake can fail right here), tries again after the same delay.
    /// Runs on `supervisor`.
    func restartNetworkThread(in delay: Int) {
        supervisor.asyncAfter(deadline: .now() + .seconds(delay)) { [self] in
            guard shouldConnect, !networkThreadRunning else { return }
            // Reuses the host, the options and, for MQTT 5, the CONNECT properties of start().
            let (connectResult, loopResult) = connectAndStartNetworkThread { mosquitto_reconnect_async(handle) }
            if connectResult != MOSQ_ERR_SUCCESS.rawValue, !Self.returnCodesWorthRetrying.contains(connectResult) {
                let reason = takeLastLibraryError() ?? MQTTError.describe(returnCode: connectResult)
                logger.warning("cannot connect", endpointMetadata(["reason": reason, "retrying": "after \(delay) s"]))
                setState(.reconnecting(reason: reason))
                mosquitto_threaded_set(handle, true)
                restartNetworkThread(in: delay)
            } else if loopResult != MOSQ_ERR_SUCCESS.rawValue {
                logger.error("cannot start libmosquitto's network thread", endpointMetadata([
                    "reason": MQTTError.describe(returnCode: loopResult), "retrying": "after \(delay) s"]))
                mosquitto_threaded_set(handle, true)
                restartNetworkThread(in: delay)
            }
        }
    }

    /// Makes a connection attempt with `connect`, then starts libmosquitto's network thread unless
    /// the attempt failed for a reason retrying cannot fix. Runs on `supervisor`, with no network
    /// thread running; returns the results of both calls.
    ///
    /// While connecting, the handle is marked threaded, so libmosquitto only queues CONNECT and the
    /// network thread writes it: a refused connection then shows up on that thread, which retries.
    /// (Otherwise libmosquitto writes CONNECT at once, and after a refusal its thread would end at
    /// once instead of retrying.) Starting the thread before connecting is no better: the two then
    /// race on the socket.
    func connectAndStartNetworkThread(_ connect: () -> Int32) -> (connect: Int32, loop: Int32) {
        mosquitto_threaded_set(handle, true)
        let connectResult = connect()
        mosquitto_threaded_set(handle, false)
        guard connectResult == MOSQ_ERR_SUCCESS.rawValue || Self.returnCodesWorthRetrying.contains(connectResult) else {
            return (connectResult, MOSQ_ERR_SUCCESS.rawValue)
        }
        let loopResult = mosquitto_loop_start(handle)
        networkThreadRunning = loopResult == MOSQ_ERR_SUCCESS.rawValue
        return (connectResult, loopResult)
    }

    /// Results of a connection attempt that mean "not reachable now": the network thread retries.
    static let returnCodesWorthRetrying: Set<Int32> = [
        MOSQ_ERR_ERRNO, MOSQ_ERR_EAI, MOSQ_ERR_NO_CONN, MOSQ_ERR_CONN_LOST, MOSQ_ERR_CONN_REFUSED,
    ].reduce(into: []) { $0.insert($1.rawValue) }
}
