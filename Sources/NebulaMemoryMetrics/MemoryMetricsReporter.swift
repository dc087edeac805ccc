import Logging
import Metrics
import NebulaMemory
import Synchronization

/// Publishes memory snapshots through swift-metrics and logs what an operator must hear about
/// through swift-log: budget denials, pressure-level changes, object-pool leaks.
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
    /// The values of the previous report, by metric and registered name.
    private let previous = Mutex<[Key: Int]>([:])

    /// A reporter that publishes through `factory` and logs to `logger`.
    ///
    /// - Parameters:
    ///   - factory: the metrics backend; the one bootstrapped in `MetricsSystem` by default.
    ///   - logger: where events go.
    public init(factory: (any MetricsFactory)? = nil, logger: Logger) {
        self.factory = factory ?? MetricsSystem.factory
        self.logger = logger
    }

    /// Publishes `snapshot` and logs the events since the previous report.
    ///
    /// A counter that went down since the previous report (another object registered under
    /// the same name) counts from zero again: it grows by its whole new value.
    ///
    /// - Parameter snapshot: a registry's snapshot.
    /// - Complexity: O(entries × metrics).
    public func report(_ snapshot: MemorySnapshot) {
        let (growth, events) = previous.withLock { previous in
            var growth: [Key: Int] = [:]
            var events: [Event] = []
            for entry in snapshot.entries {
                for metric in MemoryMetric.all {
                    guard let value = metric.value(in: entry.report) else { continue }
                    let key = Key(metric: metric.name, name: entry.name)
                    let before = previous.updateValue(value, forKey: key)
                    if metric.type == .counter {
                        growth[key] = before.map { value >= $0 ? value - $0 : value } ?? value
                    }
                    if let event = Event(metric: metric.name, entry: entry, before: before, now: value) {
                        events.append(event)
                    }
                }
            }
            return (growth, events)
        }
        for entry in snapshot.entries {
            let dimensions = [("name", entry.name), ("kind", entry.report.kind.rawValue)]
            for metric in MemoryMetric.all {
                guard let value = metric.value(in: entry.report) else { continue }
                switch metric.type {
                case .gauge:
                    Gauge(label: metric.name, dimensions: dimensions, factory: factory).record(value)
                case .counter:
                    let added = growth[Key(metric: metric.name, name: entry.name)] ?? 0
                    // Made even when nothing was added, so that a backend lists the counter at 0.
                    Counter(label: metric.name, dimensions: dimensions, factory: factory).increment(by: added)
                }
            }
        }
        for event in events { event.log(to: logger) }
    }
}

extension MemoryMetricsReporter {
    /// A metric of one registered name.
    private struct Key: Hashable, Sendable {
        let metric: String
        let name: String
    }
}
