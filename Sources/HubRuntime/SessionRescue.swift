import Foundation
import HubCore
import HubMQTT
import HubServices
import Synchronization

/// Drains the persistent MQTT sessions of the hubs of the fleet that are gone, into this hub's
/// routes, until they come back.
///
/// On a shared subscription the broker keeps giving a disconnected member's persistent session its
/// share of the messages (Mosquitto 2.0 measured: half of them, with two members), and with a
/// session expiry it drops what the session held when it expires. So each hub holds the lease
/// `mqtt-session/<its client id>` (in its `LeaseKeeper`) while it lives; every `renewal`, this
/// watch lists those leases and takes any that ran out (its hub died, or stopped), then connects
/// with that hub's client id on a persistent session (clean start false): the broker delivers what
/// the session held and the session's share of what comes next, and this hub's routes store it.
/// When the hub comes back it connects with its own id and the broker hands it the session, closing
/// this client's connection (Mosquitto 2.0.11 closes it without saying why; newer brokers send MQTT
/// 5 reason 0x8E). Any end of a rescue connection is taken for that: the watch stops the client
/// before it reconnects (which would take the session back), releases the lease and leaves the
/// session alone for a lease's duration, so that the returning hub takes its lease back. Had the
/// broker merely restarted, the session is rescued again after that pause; it keeps the messages
/// meanwhile.
///
/// What the rescue client receives goes through a journal of its own beside the database
/// (`<store>.mqtt-journal-rescue-<client id>`); what a killed run left in such a journal is
/// delivered again when this hub starts (`leftovers`), as the hub's own journal is.
final class SessionRescue: MetricFamilyProvider {
    /// Builds the intake of a rescued session: the hub's own, with the dead hub's client id.
    typealias IntakeFactory = @Sendable (_ clientID: String, _ onConnectionLost: @escaping @Sendable (String) -> Void) throws -> MQTTIntake

    private let lease: any SingletonLease
    private let holder: String
    private let ownClientID: String
    private let duration: Duration
    private let renewal: Duration
    private let makeIntake: IntakeFactory
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Runs `stop()` of a client whose session was taken over, off its network thread.
    private let stopper = DispatchQueue(label: "hub.session-rescue")

    private struct State {
        var started = false
        var stopped = false
        /// Client id -> the intake draining its session.
        var rescues: [String: MQTTIntake] = [:]
        /// Client id -> until when its session is left alone (its hub came back and takes it).
        var yielded: [String: ContinuousClock.Instant] = [:]
    }

    /// The client ids whose rescue journals a previous run left behind, delivered again at `start()`.
    private let leftovers: [String]

    /// A watch for the sessions of the other hubs in `lease`, as `holder` (this hub's name), whose
    /// own session is `ownClientID`; nothing runs until `start()`, which first delivers again what
    /// the rescue journals of `leftovers` kept.
    init(lease: any SingletonLease, holder: String, ownClientID: String, duration: Duration, renewal: Duration,
         leftovers: [String] = [], logger: Logger, makeIntake: @escaping IntakeFactory) {
        self.leftovers = leftovers
        self.lease = lease
        self.holder = holder
        self.ownClientID = ownClientID
        self.duration = duration
        self.renewal = renewal
        self.logger = logger
        self.makeIntake = makeIntake
    }

    /// The client ids of the sessions this hub drains now, sorted.
    var rescuing: [String] { state.withLock { $0.rescues.keys.sorted() } }

    /// `hub_mqtt_sessions_rescued`: how many other hubs' sessions this hub drains now.
    func metricFamilies() -> [MetricFamily] {
        [MetricFamily(name: "hub_mqtt_sessions_rescued",
                      help: "MQTT sessions of other hubs of the fleet (gone) that this hub drains into its routes.",
                      type: "gauge", samples: [.init(value: Double(rescuing.count))])]
    }

    /// Looks for sessions to rescue every `renewal`, the first time at once.
    func start() {
        guard state.withLock({ state in
            defer { state.started = true }
            return !state.started && !state.stopped
        }) else { return }
        for clientID in leftovers {
            // Never connected: the journal's pending messages go to the routes, each marked done once committed.
            do {
                try makeIntake(clientID) { _ in }.redeliverPending()
            } catch {
                logger.error("cannot deliver again what a rescued session's journal kept", ["clientId": clientID, "error": "\(error)"])
            }
        }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub session rescue")
            repeat { look() } while wake.wait(timeout: .now() + renewal.timeInterval) == .timedOut
            finished.signal()
        }
        thread.start()
    }

    /// One look: renews the leases of the sessions drained, takes those whose lease ran out.
    func look() {
        let sessions: [String]
        do {
            sessions = try lease.tasks(withPrefix: SingletonTask.sessionPrefix)
                .map { String($0.dropFirst(SingletonTask.sessionPrefix.count)) }.filter { $0 != ownClientID }
        } catch {
            logger.warning("cannot list the fleet's MQTT sessions", ["error": "\(error)"])
            return
        }
        let now = ContinuousClock.now
        for clientID in sessions {
            let (running, leftAlone) = state.withLock { state in
                (state.rescues[clientID] != nil, state.yielded[clientID].map { now < $0 } ?? false)
            }
            guard !leftAlone else { continue }
            let held: Bool
            do {
                held = try lease.acquire(SingletonTask.session(clientID).name, holder: holder, for: duration)
            } catch {
                // Not renewed: should this hub be cut off for good, the lease runs out and another
                // hub may rescue the session; the broker then hands it over and this client stops.
                logger.warning("cannot renew the lease of a rescued session", ["clientId": clientID, "error": "\(error)"])
                continue
            }
            if held, !running {
                begin(clientID)
            } else if !held, running {
                end(clientID, reason: "another hub holds the session's lease")
            }
        }
    }

    private func begin(_ clientID: String) {
        let intake: MQTTIntake
        do {
            intake = try makeIntake(clientID) { [weak self] reason in
                guard let self else { return }
                stopper.async { self.end(clientID, reason: "the connection ended (its hub is back, or the broker went away): \(reason)") }
            }
            try intake.start()
        } catch {
            logger.error("cannot rescue the session of a hub that is gone", ["clientId": clientID, "error": "\(error)"])
            try? lease.release(SingletonTask.session(clientID).name, holder: holder)
            return
        }
        let kept = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.rescues[clientID] = intake
            return true
        }
        guard kept else {
            intake.stop()
            return
        }
        logger.warning("a hub of the fleet is gone: this hub drains its MQTT session until it comes back",
                       ["clientId": clientID, "hub": holder])
    }

    /// Stops draining `clientID`'s session and releases its lease; the session is left alone for
    /// a lease's duration so that its hub takes the lease back.
    private func end(_ clientID: String, reason: String) {
        let intake = state.withLock { state -> MQTTIntake? in
            state.yielded[clientID] = .now + duration
            return state.rescues.removeValue(forKey: clientID)
        }
        guard let intake else { return }
        intake.stop()
        try? lease.release(SingletonTask.session(clientID).name, holder: holder)
        logger.info("stopped draining the session of another hub", ["clientId": clientID, "reason": reason])
    }

    /// Stops looking and stops every rescue client (the sessions stay at the broker), releasing
    /// their leases so that another hub may rescue them at once.
    func stop() {
        let (wasStarted, intakes) = state.withLock { state in
            defer {
                state.stopped = true
                state.rescues = [:]
            }
            return (state.started && !state.stopped, state.rescues)
        }
        if wasStarted {
            wake.signal()
            finished.wait()
        }
        stopper.sync {}
        for (clientID, intake) in intakes {
            intake.stop()
            try? lease.release(SingletonTask.session(clientID).name, holder: holder)
        }
    }
}
