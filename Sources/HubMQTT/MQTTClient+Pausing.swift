import CMosquitto
import Foundation
import HubServices

// Pausing: disconnecting on purpose while the hub cannot store what it receives.
extension MQTTClient {
    /// Disconnects and stays disconnected until `resume()`, so that the broker keeps what is
    /// published meanwhile for the client's persistent session instead of handing it over.
    ///
    /// libmosquitto acknowledges a QoS 1 message before `onMessage` sees it, and answers the
    /// broker's keep-alive only while its thread reads the socket; "not reading" is therefore not a
    /// way to pause without either taking messages or being dropped by the broker. A clean
    /// DISCONNECT is: the session stays, and the broker queues for it (up to its
    /// `max_queued_messages`). A message `onMessage` is handling when this is called is the
    /// handler's to keep. Returns at once; does nothing unless running and not paused.
    public func pause(reason: String) {
        let changed: Bool = monitor.withLock {
            guard phase == .running, !pauseRequested else { return false }
            pauseRequested = true
            // At once, so that the network thread, ending now, is neither reported lost nor restarted.
            paused = true
            return true
        }
        guard changed else { return }
        logger.warning("pausing: disconnecting so that the broker keeps new messages for this session",
                       endpointMetadata(["reason": reason]))
        supervisor.async { [self] in reconcilePause(reason: reason) }
    }

    /// Connects again after `pause(reason:)`: the broker then delivers what it kept for the session.
    /// Returns at once; does nothing unless paused.
    public func resume() {
        let changed: Bool = monitor.withLock {
            guard phase == .running, pauseRequested else { return false }
            pauseRequested = false
            return true
        }
        guard changed else { return }
        logger.info("resuming: connecting again", endpointMetadata())
        supervisor.async { [self] in reconcilePause(reason: nil) }
    }

    /// Brings the connection to what was asked last: disconnected and the network thread joined, or
    /// connected again with a new network thread. Runs on `supervisor`, so that a pause and a resume
    /// in quick succession are carried out in order, each after the other has finished.
    /// The state says "paused" only once the network thread has ended: from then on nothing
    /// arrives until `resume()`.
    private func reconcilePause(reason: String?) {
        let (running, wanted, isPaused): (Bool, Bool, Bool) = monitor.withLock { (phase == .running, pauseRequested, paused) }
        guard running else { return }
        if wanted {
            // As in stop(): the thread ends instead of reconnecting, and loop_stop joins it (after a
            // message being handled has been handled).
            mosquitto_disconnect(handle)
            if networkThreadRunning {
                mosquitto_loop_stop(handle, false)
                networkThreadRunning = false
            }
            monitor.withLock { sessionUp = false }
            metrics?.mqttConnected.set(0)
            if let reason { setState(.reconnecting(reason: "paused: \(reason)")) }
            return
        }
        guard isPaused else { return }
        monitor.withLock { paused = false }
        // A pause taken back before it was carried out: the connection never went down.
        guard !networkThreadRunning else { return markConnectedIfSubscribed() }
        setState(.connecting)
        let (connectResult, loopResult) = connectAndStartNetworkThread { mosquitto_reconnect_async(handle) }
        guard connectResult != MOSQ_ERR_SUCCESS.rawValue || loopResult != MOSQ_ERR_SUCCESS.rawValue else { return }
        let failed = connectResult != MOSQ_ERR_SUCCESS.rawValue ? connectResult : loopResult
        let reason = takeLastLibraryError() ?? MQTTError.describe(returnCode: failed)
        setState(.reconnecting(reason: reason))
        if loopResult != MOSQ_ERR_SUCCESS.rawValue || !Self.returnCodesWorthRetrying.contains(connectResult) {
            // No network thread retries this one: start over after the longest delay.
            logger.warning("cannot connect", endpointMetadata(["reason": reason, "retrying": "after \(options.reconnectDelayMaxSeconds) s"]))
            mosquitto_threaded_set(handle, true)
            restartNetworkThread(in: options.reconnectDelayMaxSeconds)
        } else {
            logger.warning("cannot connect", retryMetadata(reason: reason))
        }
    }
}
