import Foundation

/// Notices a broker that keeps closing the connection soon after accepting it.
///
/// The usual cause is another client connecting with the same client id: the broker hands it the
/// session and closes this connection, this client reconnects and takes the session back, and so
/// on. A broker that speaks MQTT 5 fully says so (DISCONNECT reason 0x8E, "Session taken over");
/// Mosquitto 2.0.11 (Debian 12) and every MQTT 3.1.1 broker just close the socket, which looks
/// like any lost connection. This watch tells the two apart by their pattern: `threshold`
/// connections in a row, each lost less than `window` seconds after it was accepted, within
/// `window` seconds. It reports once per such episode; a connection that lasts longer ends it.
struct ConnectionFlapWatch {
    /// Seconds: a connection lost sooner than this after being accepted is short-lived, and the
    /// short-lived losses counted are those of the last `window` seconds.
    let window: TimeInterval
    /// Short-lived losses in the window that make an episode.
    let threshold: Int
    private var connectedAt: TimeInterval?
    private var shortLosses: [TimeInterval] = []
    private var reported = false

    init(window: TimeInterval = 60, threshold: Int = 3) {
        self.window = window
        self.threshold = threshold
    }

    /// The broker accepted a connection at `time` (seconds on a monotonic clock).
    mutating func connected(at time: TimeInterval) {
        connectedAt = time
    }

    /// The connection accepted last was lost at `time`. Returns how many short-lived connections
    /// the window holds when that makes a new episode, nil otherwise.
    mutating func lost(at time: TimeInterval) -> Int? {
        guard let since = connectedAt else { return nil }
        connectedAt = nil
        guard time - since < window else {
            shortLosses = []
            reported = false
            return nil
        }
        shortLosses = shortLosses.filter { time - $0 < window } + [time]
        guard shortLosses.count >= threshold, !reported else { return nil }
        reported = true
        return shortLosses.count
    }
}
