import HubCore
import HubServices
import HubStore
import Synchronization

/// Watches the devices of the routes that declare `deviceIntervalSeconds`: a device silent for
/// longer than that gets a `DeviceInactive` event, and a `DeviceActive` event when it reports again.
///
/// It reads the store's device registry (kept by the store as events are written, so it survives a
/// restart) every `period` and pushes its events on the bus like any route's outcome; they are
/// stored with the device's URN as entity and change the registry's `inactive_since` when committed.
/// Until then it remembers what it pushed, so that each change is announced once.
final class DeviceWatch: MetricFamilyProvider {
    /// The type of the event a device gets when it falls silent.
    static let inactiveType = "DeviceInactive"
    /// The type of the event a device gets when it reports again.
    static let activeType = "DeviceActive"

    private struct State {
        var stopped = false
        /// Device -> the `inactive_since` it will have once what was pushed is committed.
        var pending: [String: Timestamp?] = [:]
        /// Watched route -> its devices and how many of them are inactive, as of the last check.
        var counts: [String: (devices: Int, inactive: Int)] = [:]
    }

    private let intervals: [String: Duration]
    private let store: any HubDatabase
    private let bus: Bus
    private let logger: Logger
    private let timer: PeriodicTimer
    private let gate: (any SingletonGate)?
    private let state = Mutex(State())

    /// With a `gate`, devices are checked only while this hub holds the watch's lease
    /// (`SingletonTask.deviceWatch`): in a fleet, one hub announces each change.
    init(routes: [Route], store: any HubDatabase, bus: Bus, gate: (any SingletonGate)? = nil, logger: Logger,
         period: Duration = .seconds(1)) {
        var intervals: [String: Duration] = [:]
        for route in routes { if let interval = route.deviceInterval { intervals[route.name] = interval } }
        self.intervals = intervals
        self.store = store
        self.bus = bus
        self.gate = gate
        self.logger = logger
        timer = PeriodicTimer(label: "hub.device-watch", period: period)
    }

    /// Starts watching, if any route declares a device interval.
    func start() {
        if !intervals.isEmpty { timer.start { [weak self] in self?.check(now: .now()) } }
    }

    /// Compares every watched device's last message with `now` and pushes the changes; does
    /// nothing while another hub of the fleet holds the watch's lease.
    func check(now: Timestamp) {
        guard gate?.holds(.deviceWatch) ?? true else { return }
        state.withLock { state in
            guard !state.stopped else { return }
            let devices: [DeviceRecord]
            do {
                devices = try store.devices()
            } catch {
                logger.error("cannot read the device registry", ["error": "\(error)"])
                return
            }
            var outcomes: [Outcome] = []
            // Logged per route and check, so that a gateway outage is one line, not one per device.
            var changes: [String: (inactive: [String], active: [String])] = [:]
            var counts = Dictionary(uniqueKeysWithValues: intervals.keys.map { ($0, (devices: 0, inactive: 0)) })
            for device in devices {
                guard let interval = intervals[device.route] else { continue }
                counts[device.route, default: (0, 0)].devices += 1
                let intervalMicros = Int64(interval.timeInterval * 1e6)
                if let pending = state.pending[device.device], pending == device.inactiveSince {
                    state.pending[device.device] = nil
                }
                let inactiveSince = state.pending[device.device] ?? device.inactiveSince
                let overdueAt = device.lastSeen.adding(microseconds: intervalMicros)
                var attributes: [String: Value] = [
                    "lastSeen": .text(device.lastSeen.iso8601),
                    "expectedIntervalSeconds": .number(interval.timeInterval, unit: "SEC"),
                    "messageCount": .number(Double(device.messageCount), unit: nil),
                ]
                if let rssi = device.lastRSSI { attributes["lastRSSI"] = .number(rssi, unit: nil) }
                if let since = inactiveSince {
                    // Declared inactive at `since`: active again once it spoke after the message that was overdue.
                    guard device.lastSeen.adding(microseconds: intervalMicros) > since else {
                        counts[device.route, default: (0, 0)].inactive += 1
                        continue
                    }
                    attributes["inactiveSince"] = .text(since.iso8601)
                    outcomes.append(Outcome(events: [event(Self.activeType, device, at: device.lastSeen, attributes)]))
                    state.pending[device.device] = .some(nil)
                    changes[device.route, default: ([], [])].active.append(device.device)
                } else if now > overdueAt {
                    counts[device.route, default: (0, 0)].inactive += 1
                    outcomes.append(Outcome(events: [event(Self.inactiveType, device, at: overdueAt, attributes)]))
                    state.pending[device.device] = .some(overdueAt)
                    changes[device.route, default: ([], [])].inactive.append(device.device)
                }
            }
            for (route, change) in changes.sorted(by: { $0.key < $1.key }) {
                if !change.inactive.isEmpty {
                    logger.warning("devices silent for longer than expected", [
                        "route": route, "count": String(change.inactive.count), "devices": Self.sample(change.inactive),
                    ])
                }
                if !change.active.isEmpty {
                    logger.info("devices reporting again", [
                        "route": route, "count": String(change.active.count), "devices": Self.sample(change.active),
                    ])
                }
            }
            state.counts = counts
            if !outcomes.isEmpty { _ = bus.push(contentsOf: outcomes) }
        }
    }

    /// `hub_route_devices` and `hub_route_devices_inactive` of each watched route, as of the last check.
    func metricFamilies() -> [MetricFamily] {
        let counts = state.withLock { $0.counts }.sorted { $0.key < $1.key }
        return [
            MetricFamily(name: "hub_route_devices", help: "Devices heard from on the route (routes with deviceIntervalSeconds).",
                         type: "gauge", samples: counts.map { .init(labels: ["route": $0.key], value: Double($0.value.devices)) }),
            MetricFamily(name: "hub_route_devices_inactive",
                         help: "Devices of the route silent for longer than its deviceIntervalSeconds.",
                         type: "gauge", samples: counts.map { .init(labels: ["route": $0.key], value: Double($0.value.inactive)) }),
        ]
    }

    /// At most five device URNs, for a log line.
    private static func sample(_ devices: [String]) -> String {
        devices.prefix(5).joined(separator: " ") + (devices.count > 5 ? " ..." : "")
    }

    private func event(_ type: String, _ device: DeviceRecord, at time: Timestamp, _ attributes: [String: Value]) -> Event {
        Event(type: type, entity: device.device, observedAt: time, receivedAt: .now(), route: device.route, attributes: attributes)
    }

    /// Stops watching; once it returns nothing more is pushed.
    func stop() {
        timer.stop()
        state.withLock { $0.stopped = true }
    }

    deinit {
        // libdispatch traps when a timer source that was never resumed is released.
        timer.stop()
    }
}
