import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// The stage after the commit that evaluates the configured rules (`rules[]`) on committed events
/// and keeps the alarms they raise: at most one open alarm per rule and entity, raised, perhaps
/// acknowledged, cleared when the condition stops (past the threshold's hysteresis).
///
/// Intake never waits for it: the writer hands each committed batch to `committed(_:)`, which only
/// offers it to a bounded queue. When the queue is full the batch is not evaluated; its events are
/// counted (`hub_alarm_events_skipped_total`) and, once the queue has room again, every rule is
/// evaluated on the latest state of every entity (`resync`), so that no condition is missed, only
/// repeats counted. The stage's own thread takes batches from the queue, and about once a second
/// checks the conditions that depend on the clock (absences, durations) and the history's retention.
///
/// Alarms live in the store (`AlarmKeeping.saveAlarms`); each change is also an event pushed on the
/// bus (`AlarmRaised`, `AlarmAcknowledged`, `AlarmCleared`, entity `urn:ngsi-ld:Alarm:<id>`, the
/// alarm's route), so it is stored, streamed and exported like any other. At start the stage reads
/// the open alarms back and evaluates every rule on the latest state of every entity: an alarm open
/// before a stop stays open, one whose condition no longer holds (or whose rule is gone) clears.
///
/// With a `gate`, the rules are evaluated only while this hub holds the `alarms` lease: on a store
/// shared by a fleet, the stage is given every hub's commits (from the store, `StoreTail`) and one
/// hub evaluates them. A hub that takes the lease starts as at a start (the open alarms read back,
/// the latest state evaluated); one that loses it forgets what it held. An acknowledgement made
/// through another hub's API reaches the evaluating hub as its `AlarmAcknowledged` event.
final class AlarmStage: MetricFamilyProvider {
    /// The types of the events the stage pushes; never evaluated by rules.
    static let raisedType = "AlarmRaised", acknowledgedType = "AlarmAcknowledged", clearedType = "AlarmCleared"
    static let eventTypes: Set<String> = [raisedType, acknowledgedType, clearedType]
    /// The prefix of an alarm event's entity, followed by the alarm's id.
    static let entityPrefix = "urn:ngsi-ld:Alarm:"

    /// A rule (its index) and an entity (its number in `State.entityNames`): integers, so that the
    /// lookups made for every rule and event hash no text.
    private struct Key: Hashable {
        let rule: Int
        let entity: Int
    }

    /// A condition that holds but has not held for the rule's `forSeconds` yet.
    private struct Pending {
        var since: Timestamp
        var latest: Judgement
    }

    /// The last event a rule watching absences saw for an entity.
    private struct Seen {
        var receivedAt: Timestamp
        var type: String
        var route: String
    }

    /// What one evaluation found for a rule and an entity.
    private struct Judgement {
        var breached: Bool
        var cleared: Bool
        var value: Double?
        /// What the message says, put in words only when an alarm changes (`message(_:rule:)`).
        var detail: Detail
        var type: String
        var route: String
        var observedAt: Timestamp
    }

    /// What an evaluation saw, for the alarm's message.
    private enum Detail {
        case value(attribute: String, Double)
        case mean(SeriesPoint)
        case attributes([String: Value])
        case silentSince(Timestamp)
    }

    /// Alarm rows to save in one transaction, with the events to push for each once it has an id.
    private struct Changes {
        var alarms: [AlarmRecord] = []
        var eventTypes: [[String]] = []
        /// The key of each alarm whose state copy is kept in `State.open` (nil: not kept there).
        var keys: [Key?] = []
        /// The index in `alarms` of the open alarm of a key changed in this round.
        var index: [Key: Int] = [:]

        mutating func record(_ alarm: AlarmRecord, key: Key?, emitting type: String?) {
            if let key, let at = index[key] {
                alarms[at] = alarm
                if let type { eventTypes[at].append(type) }
            } else {
                alarms.append(alarm)
                eventTypes.append(type.map { [$0] } ?? [])
                keys.append(key)
                if let key { index[key] = alarms.count - 1 }
            }
            if let key, !alarm.isOpen { index[key] = nil }
        }
    }

    private struct State {
        /// Entity URN -> its number in `entityNames` (entities the rules have watched since start).
        var entityNumbers: [String: Int] = [:]
        var entityNames: [String] = []
        var open: [Key: AlarmRecord] = [:]
        var pending: [Key: Pending] = [:]
        var seen: [Key: Seen] = [:]
        var needsResync = true
        var lastRetentionSweep: Timestamp?

        mutating func number(of entity: String) -> Int {
            if let number = entityNumbers[entity] { return number }
            entityNames.append(entity)
            entityNumbers[entity] = entityNames.count - 1
            return entityNames.count - 1
        }
    }

    private let rules: [AlarmRule]
    private let rulesByType: [String: [Int]]
    private let rulesOfAnyType: [Int]
    private let store: any HubDatabase
    private let bus: Bus
    private let gate: (any SingletonGate)?
    private let logger: Logger
    private let retentionDays: Int
    private let queue: BoundedQueue<[StoredEvent]>
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let overflowing = Atomic<Bool>(false)

    /// Committed events the rules were evaluated on.
    let evaluated = Counter()
    /// Committed events not evaluated because the queue was full (the latest state was evaluated instead).
    let skipped = Counter()
    /// Alarms raised and cleared since start.
    let raised = Counter(), cleared = Counter()
    /// CPU nanoseconds the stage's thread spent evaluating committed events (their rounds: rules,
    /// store reads, saves; not the time it waited for the write connection or for room on the bus).
    let evaluationNanoseconds = Counter()

    /// A stage for `rules` over `store`, pushing its events on `bus`; `capacity` committed batches may wait.
    init(rules: [AlarmRule], store: any HubDatabase, bus: Bus, retentionDays: Int, gate: (any SingletonGate)? = nil, logger: Logger,
         capacity: Int = 1024) {
        self.gate = gate
        self.rules = rules
        var byType: [String: [Int]] = [:]
        var anyType: [Int] = []
        for (index, rule) in rules.enumerated() {
            if rule.types.isEmpty { anyType.append(index) }
            for type in rule.types { byType[type, default: []].append(index) }
        }
        rulesByType = byType
        rulesOfAnyType = anyType
        self.store = store
        self.bus = bus
        self.retentionDays = retentionDays
        self.logger = logger
        queue = BoundedQueue(capacity: capacity)
    }

    // MARK: - Lifecycle

    /// Starts the stage's thread: it first reads the open alarms and evaluates the latest state.
    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub alarms")
            run()
            finished.signal()
        }
        thread.start()
    }

    /// Takes no more batches and returns once those queued are evaluated, their alarms saved and
    /// their events pushed. Batches the writer commits after this are left to the next start,
    /// which evaluates the latest state.
    func stop() {
        queue.close()
        guard started.exchange(false, ordering: .relaxed) else { return }
        finished.wait()
    }

    /// Called by the writer after each commit: never waits.
    func committed(_ stored: [StoredEvent]) {
        guard !rules.isEmpty, !stored.isEmpty else { return }
        if !queue.offer(stored) {
            // The stage's own events coming back need no evaluation: only the others are missed.
            let missed = stored.count { !Self.eventTypes.contains($0.event.type) }
            guard missed > 0 else { return }
            skipped.increment(by: missed)
            if !overflowing.exchange(true, ordering: .relaxed) {
                logger.warning("alarm rules fall behind the commits: batches are skipped, the latest state will be evaluated instead",
                               ["queued_batches": String(queue.capacity)])
            }
        }
    }

    private func run() {
        var holding = false
        var retryResync = false
        while true {
            let batches = queue.pop(upTo: 64, until: Date(timeIntervalSinceNow: 1))
            if batches.isEmpty, queue.isClosed { break }
            guard gate?.holds(.alarms) ?? true else {
                // Another hub of the fleet evaluates the rules: what this one held is forgotten.
                if holding { state.withLock { $0 = State() } }
                holding = false
                continue
            }
            if !holding {
                // As at a start: the open alarms read back, then the latest state of every entity evaluated.
                holding = true
                state.withLock { $0 = State() }
                retryResync = !loadOpenAlarms()
            }
            let now = Timestamp.now()
            var events: [Event] = []
            var acknowledgements: [Event] = []
            for batch in batches {
                for stored in batch {
                    if !Self.eventTypes.contains(stored.event.type) {
                        events.append(stored.event)
                    } else if stored.event.type == Self.acknowledgedType {
                        acknowledgements.append(stored.event)
                    }
                }
            }
            if !acknowledgements.isEmpty { learnAcknowledgements(acknowledgements) }
            if overflowing.load(ordering: .relaxed), queue.depth == 0 {
                overflowing.store(false, ordering: .relaxed)
                state.withLock { $0.needsResync = true }
                logger.info("alarm rules caught up: evaluating the latest state of every entity")
            }
            if retryResync, loadOpenAlarms() { retryResync = false }
            let began = Self.threadCPUNanoseconds()
            round(now: now) { state, changes in
                if !events.isEmpty { evaluate(events, countingRepeats: true, now: now, state: &state, changes: &changes) }
                if state.needsResync, !retryResync {
                    resync(now: now, state: &state, changes: &changes)
                }
                tick(now: now, state: &state, changes: &changes)
            }
            // Counted once their alarms are saved, so that a reader of the counter sees their outcome.
            if !events.isEmpty {
                evaluationNanoseconds.increment(by: Int(Self.threadCPUNanoseconds() - began))
            }
            evaluated.increment(by: events.count)
        }
    }

    /// Marks the open alarms that another hub's API acknowledged (their `AlarmAcknowledged` events),
    /// so that saving them again keeps who acknowledged them.
    private func learnAcknowledgements(_ events: [Event]) {
        state.withLock { state in
            for event in events {
                guard case .number(let id, _)? = event.attributes["alarmId"], case .text(let by)? = event.attributes["acknowledgedBy"],
                      let (key, alarm) = state.open.first(where: { $0.value.id == Int64(id) }), alarm.acknowledgedAt == nil else { continue }
                var acknowledged = alarm
                acknowledged.acknowledgedBy = by
                acknowledged.acknowledgedAt = event.observedAt
                state.open[key] = acknowledged
            }
        }
    }

    /// Reads the open alarms into the state; false when the store could not be read (tried again).
    private func loadOpenAlarms() -> Bool {
        do {
            let alarms = try store.openAlarms()
            let ruleIndex = Dictionary(rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            round(now: .now()) { state, changes in
                for alarm in alarms {
                    guard let index = ruleIndex[alarm.rule] else {
                        var alarm = alarm
                        clear(&alarm, reason: "rule \(alarm.rule) is no longer configured", at: .now(), key: nil, state: &state, changes: &changes)
                        continue
                    }
                    state.open[Key(rule: index, entity: state.number(of: alarm.entity))] = alarm
                }
            }
            return true
        } catch {
            logger.error("cannot read the open alarms; trying again", ["error": "\(error)"])
            return false
        }
    }

    /// Runs `body` on the state, then saves what it changed and pushes the matching events.
    private func round(now: Timestamp, _ body: (inout State, inout Changes) -> Void) {
        let events: [Event] = state.withLock { state in
            var changes = Changes()
            body(&state, &changes)
            guard !changes.alarms.isEmpty else { return [] }
            let saved: [AlarmRecord]
            do {
                saved = try store.saveAlarms(changes.alarms)
            } catch {
                // The state keeps what it found; the next resync (at the next start, or after an
                // overflow) evaluates again what could not be saved.
                logger.error("cannot save alarms", ["error": "\(error)", "alarms": String(changes.alarms.count)])
                state.needsResync = true
                return []
            }
            // New alarms got their ids: the state's copies (the same records, the latest of their key) learn them.
            for (index, alarm) in saved.enumerated() where changes.alarms[index].id == nil && alarm.isOpen {
                if let key = changes.keys[index] { state.open[key] = alarm }
            }
            return zip(saved, changes.eventTypes).flatMap { alarm, types in types.map { event($0, alarm, at: now) } }
        }
        guard !events.isEmpty else { return }
        let pushed = bus.push(contentsOf: events.map { Outcome(events: [$0]) })
        if pushed < events.count {
            logger.warning("alarm events not stored: the hub is stopping (the alarms themselves are saved)",
                           ["events": String(events.count - pushed)])
        }
    }

    /// The CPU time this thread has used, in nanoseconds.
    private static func threadCPUNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    // MARK: - Evaluation

    private func rules(for event: Event) -> [Int] {
        let typed = rulesByType[event.type] ?? []
        let candidates = rulesOfAnyType.isEmpty ? typed : (typed.isEmpty ? rulesOfAnyType : (typed + rulesOfAnyType).sorted())
        return candidates.filter { rules[$0].watches(type: event.type, entity: event.entity, route: event.route) }
    }

    /// Evaluates every rule watching each event, in order; means are read once per rule and entity.
    private func evaluate(_ events: [Event], countingRepeats: Bool, now: Timestamp, state: inout State, changes: inout Changes) {
        var means: [Key: Event] = [:]
        for event in events {
            let watching = rules(for: event)
            guard !watching.isEmpty else { continue }
            let entity = state.number(of: event.entity)
            for index in watching {
                let key = Key(rule: index, entity: entity)
                switch rules[index].condition {
                case .absence:
                    if let seen = state.seen[key], seen.receivedAt > event.receivedAt { continue }
                    state.seen[key] = Seen(receivedAt: event.receivedAt, type: event.type, route: event.route)
                    if var alarm = state.open[key], event.receivedAt > alarm.lastObservedAt {
                        clear(&alarm, reason: "\(event.type) received at \(event.receivedAt.iso8601)", at: now, key: key,
                              state: &state, changes: &changes)
                    }
                case .threshold(let threshold) where threshold.mean != nil:
                    if let earlier = means[key], earlier.observedAt > event.observedAt { continue }
                    if event.attributes[threshold.attribute]?.number != nil { means[key] = event }
                case .threshold(let threshold):
                    guard let value = event.attributes[threshold.attribute]?.number else { continue }
                    judge(key, Judgement(breached: threshold.isBreached(by: value), cleared: threshold.isCleared(by: value), value: value,
                                         detail: .value(attribute: threshold.attribute, value),
                                         type: event.type, route: event.route, observedAt: event.observedAt),
                          countingRepeats: countingRepeats, now: now, state: &state, changes: &changes)
                case .predicate(let predicate):
                    let holds = predicate.holds(for: event.attributes)
                    judge(key, Judgement(breached: holds, cleared: !holds, value: nil, detail: .attributes(event.attributes),
                                         type: event.type, route: event.route, observedAt: event.observedAt),
                          countingRepeats: countingRepeats, now: now, state: &state, changes: &changes)
                }
            }
        }
        // One read per entity, attribute and bucket, however many rules compare its mean.
        struct Bucket: Hashable {
            let entity: String, attribute: String, step: SeriesStep, time: Int64
        }
        var points: [Bucket: SeriesPoint?] = [:]
        for (key, event) in means {
            guard case .threshold(let threshold) = rules[key.rule].condition, let mean = threshold.mean else { continue }
            let step: SeriesStep = mean == .hourly ? .hour : .day
            let bucket = Bucket(entity: event.entity, attribute: threshold.attribute, step: step,
                                time: event.observedAt.microsecondsSinceEpoch - event.observedAt.microsecondsSinceEpoch % step.microseconds)
            if points[bucket] == nil {
                do {
                    points[bucket] = .some(try store.series(entity: event.entity, attribute: threshold.attribute, step: step,
                                                            from: event.observedAt, to: event.observedAt.adding(microseconds: 1)).last)
                } catch {
                    logger.error("cannot read a roll-up for a rule", ["rule": rules[key.rule].name, "error": "\(error)"])
                    state.needsResync = true
                    continue
                }
            }
            guard let read = points[bucket], let point = read, point.count > 0 else { continue }
            judge(key, Judgement(breached: threshold.isBreached(by: point.mean), cleared: threshold.isCleared(by: point.mean),
                                 value: point.mean, detail: .mean(point),
                                 type: event.type, route: event.route, observedAt: event.observedAt),
                  countingRepeats: countingRepeats, now: now, state: &state, changes: &changes)
        }
    }

    /// Applies one evaluation: repeat or clear an open alarm, or raise one (once the condition held
    /// for the rule's `forSeconds`, when it has one).
    private func judge(_ key: Key, _ judgement: Judgement, countingRepeats: Bool, now: Timestamp,
                       state: inout State, changes: inout Changes) {
        if !state.open.isEmpty, var alarm = state.open[key] {
            if judgement.breached {
                if countingRepeats { alarm.count += 1 }
                alarm.value = judgement.value
                alarm.message = message(judgement, rule: key.rule)
                alarm.lastObservedAt = max(alarm.lastObservedAt, judgement.observedAt)
                state.open[key] = alarm
                changes.record(alarm, key: key, emitting: nil)
            } else if judgement.cleared {
                clear(&alarm, reason: message(judgement, rule: key.rule), at: now, key: key, state: &state, changes: &changes)
            }
            return
        }
        guard judgement.breached else {
            if !state.pending.isEmpty { state.pending[key] = nil }
            return
        }
        if let hold = rules[key.rule].holdSeconds {
            var pending = state.pending[key] ?? Pending(since: judgement.observedAt, latest: judgement)
            if judgement.observedAt < pending.since { pending.since = judgement.observedAt }
            if judgement.observedAt >= pending.latest.observedAt { pending.latest = judgement }
            guard judgement.observedAt.microsecondsSinceEpoch - pending.since.microsecondsSinceEpoch >= Int64(hold) * 1_000_000 else {
                state.pending[key] = pending
                return
            }
            state.pending[key] = nil
            raise(key, judgement, since: pending.since, now: now, state: &state, changes: &changes)
        } else {
            raise(key, judgement, since: judgement.observedAt, now: now, state: &state, changes: &changes)
        }
    }

    private func raise(_ key: Key, _ judgement: Judgement, since: Timestamp, now: Timestamp, state: inout State, changes: inout Changes) {
        let rule = rules[key.rule]
        var alarm = AlarmRecord(rule: rule.name, severity: rule.severity.rawValue, entity: state.entityNames[key.entity], entityType: judgement.type,
                                route: judgement.route, message: message(judgement, rule: key.rule), value: judgement.value,
                                raisedAt: now, observedAt: since)
        alarm.lastObservedAt = judgement.observedAt
        state.open[key] = alarm
        changes.record(alarm, key: key, emitting: Self.raisedType)
        raised.increment()
    }

    private func clear(_ alarm: inout AlarmRecord, reason: String, at now: Timestamp, key: Key?, state: inout State, changes: inout Changes) {
        alarm.clearedAt = now
        alarm.clearedReason = reason
        if let key { state.open[key] = nil }
        changes.record(alarm, key: key, emitting: Self.clearedType)
        cleared.increment()
    }

    /// The conditions that depend on the clock: absences, and durations no event has ended; the history's retention.
    private func tick(now: Timestamp, state: inout State, changes: inout Changes) {
        for (key, pending) in state.pending where state.open[key] == nil {
            guard let hold = rules[key.rule].holdSeconds,
                  now.microsecondsSinceEpoch - pending.since.microsecondsSinceEpoch >= Int64(hold) * 1_000_000 else { continue }
            state.pending[key] = nil
            raise(key, pending.latest, since: pending.since, now: now, state: &state, changes: &changes)
        }
        for (key, seen) in state.seen where state.open[key] == nil {
            guard case .absence(let seconds) = rules[key.rule].condition,
                  now.microsecondsSinceEpoch - seen.receivedAt.microsecondsSinceEpoch >= Int64(seconds) * 1_000_000 else { continue }
            raise(key, Judgement(breached: true, cleared: false, value: nil, detail: .silentSince(seen.receivedAt),
                                 type: seen.type, route: seen.route, observedAt: seen.receivedAt),
                  since: seen.receivedAt, now: now, state: &state, changes: &changes)
        }
        if state.lastRetentionSweep.map({ now.microsecondsSinceEpoch - $0.microsecondsSinceEpoch >= 3_600_000_000 }) ?? true {
            state.lastRetentionSweep = now
            let cutoff = now.adding(microseconds: -Int64(retentionDays) * 86_400_000_000)
            do {
                var deleted = 0
                while true {
                    let slice = try store.deleteClearedAlarms(before: cutoff, limit: 500)
                    deleted += slice
                    if slice < 500 { break }
                }
                if deleted > 0 { logger.info("alarm history expired", ["alarms": String(deleted), "days": String(retentionDays)]) }
            } catch {
                logger.error("cannot expire the alarm history", ["error": "\(error)"])
            }
        }
    }

    /// Evaluates every rule on the latest state of every entity, without counting repeats: at start,
    /// and after batches were skipped.
    private func resync(now: Timestamp, state: inout State, changes: inout Changes) {
        state.needsResync = false
        guard !rules.isEmpty else { return }
        var after: String?
        do {
            while true {
                let page = try store.entities(matching: EventFilter(), after: after, limit: 1000)
                guard let last = page.last else { break }
                evaluate(page.filter { !Self.eventTypes.contains($0.type) }, countingRepeats: false, now: now, state: &state, changes: &changes)
                after = last.entity
            }
        } catch {
            logger.error("cannot read the latest state for the alarm rules; trying again", ["error": "\(error)"])
            state.needsResync = true
        }
    }

    // MARK: - Acknowledgement

    /// Records that the operator whose token is named `name` acknowledged alarm `id`, and pushes an
    /// `AlarmAcknowledged` event; an alarm already acknowledged is returned as it is. Nil when no
    /// alarm has that id.
    func acknowledge(id: Int64, by name: String, now: Timestamp = .now()) throws -> AlarmRecord? {
        var result: AlarmRecord?
        var failure: (any Error)?
        round(now: now) { state, changes in
            do {
                if let (key, alarm) = state.open.first(where: { $0.value.id == id }) {
                    result = alarm
                    guard alarm.acknowledgedAt == nil else { return }
                    var acknowledged = alarm
                    acknowledged.acknowledgedBy = name
                    acknowledged.acknowledgedAt = now
                    state.open[key] = acknowledged
                    changes.record(acknowledged, key: key, emitting: Self.acknowledgedType)
                    result = acknowledged
                } else if var alarm = try store.alarm(id: id) {
                    result = alarm
                    guard alarm.acknowledgedAt == nil else { return }
                    alarm.acknowledgedBy = name
                    alarm.acknowledgedAt = now
                    changes.record(alarm, key: nil, emitting: Self.acknowledgedType)
                    result = alarm
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    // MARK: - Events and metrics

    private func event(_ type: String, _ alarm: AlarmRecord, at time: Timestamp) -> Event {
        var attributes: [String: Value] = [
            "alarmId": .number(Double(alarm.id ?? 0), unit: nil), "rule": .text(alarm.rule), "severity": .text(alarm.severity),
            "entity": .text(alarm.entity), "entityType": .text(alarm.entityType), "status": .text(alarm.status.rawValue),
            "message": .text(alarm.message), "count": .number(Double(alarm.count), unit: nil),
        ]
        if let value = alarm.value { attributes["value"] = .number(value, unit: nil) }
        if let by = alarm.acknowledgedBy { attributes["acknowledgedBy"] = .text(by) }
        if let reason = alarm.clearedReason { attributes["clearedReason"] = .text(reason) }
        return Event(type: type, entity: Self.entityPrefix + String(alarm.id ?? 0), observedAt: time, receivedAt: time,
                     route: alarm.route, attributes: attributes)
    }

    /// An alarm's message: what was seen, then the rule's condition, e.g. `no2 250: no2 > 200`,
    /// `delay > 300 (delay 420)`.
    private func message(_ judgement: Judgement, rule index: Int) -> String {
        let rule = rules[index]
        switch judgement.detail {
        case .value(let attribute, let value):
            return "\(attribute) \(JSONValue.number(value).jsonText): \(rule.summary)"
        case .mean(let point):
            guard case .threshold(let threshold) = rule.condition, let mean = threshold.mean else { return rule.summary }
            return "\(mean.rawValue) mean of \(threshold.attribute) \(JSONValue.number(point.mean).jsonText) over \(point.count) values from \(point.start.iso8601): \(rule.summary)"
        case .silentSince(let time):
            return "no \(rule.types.sorted().joined(separator: " or ")) since \(time.iso8601): \(rule.summary)"
        case .attributes(let attributes):
            guard case .predicate(let predicate) = rule.condition else { return rule.summary }
            return Self.describe(predicate, attributes, rule: rule)
        }
    }

    /// The predicate and the values of the attributes it reads, e.g. `delay > 300 (delay 420)`.
    private static func describe(_ predicate: AlarmPredicate, _ attributes: [String: Value], rule: AlarmRule) -> String {
        let values = predicate.attributes.map { name -> String in
            switch attributes[name] {
            case nil: return "\(name) missing"
            case .number(let number, _)?: return "\(name) \(JSONValue.number(number).jsonText)"
            case .text(let text)?: return "\(name) \(JSONValue.string(text).jsonText)"
            case .boolean(let flag)?: return "\(name) \(flag)"
            case .json(let json)?:
                let text = json.jsonText
                return "\(name) \(text.count > 300 ? String(text.prefix(300)) + "..." : text)"
            }
        }
        return "\(rule.summary) (\(values.joined(separator: ", ")))"
    }

    /// `hub_alarms_open` by severity and rule, and the stage's counters.
    func metricFamilies() -> [MetricFamily] {
        let open = state.withLock { state in
            var counts = Array(repeating: 0, count: rules.count)
            for key in state.open.keys { counts[key.rule] += 1 }
            return counts
        }
        func counter(_ name: String, _ help: String, _ counter: Counter) -> MetricFamily {
            MetricFamily(name: name, help: help, type: "counter", samples: [.init(value: Double(counter.value))])
        }
        return [
            MetricFamily(name: "hub_alarms_open", help: "Open alarms (raised or acknowledged, not cleared), by severity and rule.",
                         type: "gauge", samples: rules.enumerated().map { index, rule in
                             .init(labels: ["severity": rule.severity.rawValue, "rule": rule.name], value: Double(open[index]))
                         }),
            counter("hub_alarms_raised_total", "Alarms raised by the rules.", raised),
            counter("hub_alarms_cleared_total", "Alarms cleared (condition stopped, or rule removed).", cleared),
            counter("hub_alarm_events_evaluated_total", "Committed events the alarm rules were evaluated on.", evaluated),
            MetricFamily(name: "hub_alarm_evaluation_seconds_total", help: "CPU time the alarm stage spent evaluating committed events.",
                         type: "counter", samples: [.init(value: Double(evaluationNanoseconds.value) / 1e9)]),
            counter("hub_alarm_events_skipped_total",
                    "Committed events not evaluated because the alarm queue was full (the latest state was evaluated instead).", skipped),
            MetricFamily(name: "hub_alarm_queue_batches", help: "Committed batches waiting for the alarm rules.", type: "gauge",
                         samples: [.init(value: Double(queue.depth))]),
        ]
    }
}
