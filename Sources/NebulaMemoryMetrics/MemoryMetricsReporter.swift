import Logging
import Metrics
import NebulaMemory
import Synchronization

/// Publishes memory snapshots through swift-metrics and logs what an operator must hear about
/// through swift-log: budget denials, pressure-level changes, leaks an object pool found
/// (a pool looks for them when its `reportLeaks()` or `evictIdle()` runs), and heap corruption
/// the hardened allocators found (``HeapCorruptionLog``), at `critical`.
///
/// Each ``report(_:)`` records every gauge of ``MemoryMetric/all``, and increments every counter
/// by its growth since the previous report (swift-metrics counters only grow), with the
/// dimensions `name` and `kind`. ``MemoryMetricsService`` calls it at an interval; call it
/// yourself to report at moments of your choosing.
///
/// ```swift
/// let reporter = MemoryMetricsReporter(logger: Logger(label: "memory"))
/// reporter.report(MemoryRegistry.shared.snapshot())
/// ```
public final class MemoryMetricsReporter: Sendable {
    private let factory: any MetricsFactory
    private let logger: Logger
    /// The registration and value of each metric at the previous report, by metric and
    /// registered name.
    private let previous = Mutex<[Key: Reading]>([:])
    /// The sequence of the last heap corruption logged.
    private let corruptionsLogged = Mutex(0)

    /// A reporter that publishes through `factory` and logs to `logger`.
    ///
    /// - Parameters:
    ///   - factory: the metrics backend; by default the one bootstrapped in `MetricsSystem`
    ///     when the reporter is made (make it after `MetricsSystem.bootstrap`).
    ///   - logger: where events go.
    public init(factory: (any MetricsFactory)? = nil, logger: Logger) {
        self.factory = factory ?? MetricsSystem.factory
        self.logger = logger
    }

    /// Publishes `snapshot` and logs the events since the previous report.
    ///
    /// A counter of an object registered since the previous report under a name another
    /// object had (a new ``MemorySnapshot/Entry/registration``) counts from zero, as does one
    /// that went down. The metrics of names no longer in the snapshot are destroyed, so that a
    /// backend stops exporting them. Reports are serialized; pass snapshots in the order they
    /// were taken.
    ///
    /// - Parameter snapshot: a registry's snapshot.
    /// - Complexity: O(entries × metrics).
    public func report(_ snapshot: MemorySnapshot) {
        previous.withLock { previous in
            var seen = Set<String>()
            for entry in snapshot.entries {
                seen.insert(entry.name)
                for metric in MemoryMetric.all {
                    for sample in metric.samples(in: entry.report) {
                        let key = Key(metric: metric.name, name: entry.name, labelValue: sample.labelValue)
                        record(sample.value, of: metric, key: key, entry: entry, previous: &previous)
                    }
                }
            }
            for (key, reading) in previous where !seen.contains(key.name) {
                previous.removeValue(forKey: key)
                destroy(key, kind: reading.kind)
            }
        }
        logHeapCorruption()
    }

    /// Logs, once each, the heap corruption found since the previous report (all that
    /// ``HeapCorruptionLog`` keeps at the first report), at `critical`.
    private func logHeapCorruption() {
        let (events, missed) = corruptionsLogged.withLock { logged in
            let events = HeapCorruptionLog.events(after: logged)
            let missed = (events.first?.sequence ?? logged + 1) - logged - 1
            if let last = events.last { logged = last.sequence }
            return (events, missed)
        }
        if missed > 0 {
            logger.critical(
                "heap corruption found more often than kept", metadata: ["not_kept": "\(missed)"])
        }
        for event in events {
            logger.critical(
                "heap corruption detected",
                metadata: [
                    "code": "\(event.error.code.rawValue)",
                    "allocator": "\(event.error.allocatorKind.map { "\($0)" } ?? "unknown")",
                    "sequence": "\(event.sequence)", "detail": "\(event.error.message)",
                ])
        }
    }

    /// Records one sample: a gauge's value, or a counter's increase since the previous report.
    private func record(
        _ value: Int, of metric: MemoryMetric, key: Key, entry: MemorySnapshot.Entry, previous: inout [Key: Reading]
    ) {
        let dimensions = Self.dimensions(of: key, metric: metric, kind: entry.report.kind)
        let now = Reading(registration: entry.registration, value: value, kind: entry.report.kind)
        let before = previous.updateValue(now, forKey: key)
        let earlier = before?.registration == entry.registration ? before?.value : nil
        switch metric.type {
        case .gauge:
            Gauge(label: metric.name, dimensions: dimensions, factory: factory).record(value)
        case .counter:
            let added = earlier.map { value >= $0 ? value - $0 : value } ?? value
            // Made even when nothing was added, so that a backend lists it at 0.
            Counter(label: metric.name, dimensions: dimensions, factory: factory).increment(by: added)
        }
        Event(metric: metric.name, entry: entry, before: earlier, now: value)?.log(to: logger)
    }

    /// Tells the backend that the metric of a name gone from the registry is no longer kept.
    private func destroy(_ key: Key, kind: MemoryReport.Kind) {
        guard let metric = MemoryMetric.all.first(where: { $0.name == key.metric }) else { return }
        let dimensions = Self.dimensions(of: key, metric: metric, kind: kind)
        switch metric.type {
        case .gauge: Gauge(label: key.metric, dimensions: dimensions, factory: factory).destroy()
        case .counter: Counter(label: key.metric, dimensions: dimensions, factory: factory).destroy()
        }
    }
}

extension MemoryMetricsReporter {
    /// A metric of one registered name.
    private struct Key: Hashable, Sendable {
        let metric: String
        let name: String
        /// The value of the metric's own label (a failure's code, a size class), if it has one.
        let labelValue: String?
    }

    /// The dimensions of a sample: `name`, `kind`, and the metric's own label if it has one.
    private static func dimensions(of key: Key, metric: MemoryMetric, kind: MemoryReport.Kind) -> [(String, String)] {
        var dimensions = [("name", key.name), ("kind", kind.rawValue)]
        if let label = metric.label, let value = key.labelValue { dimensions.append((label, value)) }
        return dimensions
    }

    /// A metric's value at a report, and the registration it belonged to.
    private struct Reading: Sendable {
        let registration: Int
        let value: Int
        let kind: MemoryReport.Kind
    }
}
