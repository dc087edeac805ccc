import Logging
import Metrics
import NebulaMemory
import ServiceLifecycle

/// A service that reports a ``MemoryRegistry`` through swift-metrics at an interval, and logs
/// budget denials, pressure changes and pool leaks through swift-log (see
/// ``MemoryMetricsReporter``).
///
/// Run it in the server's `ServiceGroup`; it stops at graceful shutdown or cancellation, after
/// one last report.
///
/// ```swift
/// let memory = try MemoryMetricsService(interval: .seconds(10), logger: logger)
/// // Listed before the server: a group stops its services in reverse order.
/// let group = ServiceGroup(services: [memory, server], logger: logger)
/// try await group.run()
/// ```
public struct MemoryMetricsService: Service {
    /// The registry reported.
    public let registry: MemoryRegistry
    /// The time between reports.
    public let interval: Duration
    /// The reporter each report goes through.
    public let reporter: MemoryMetricsReporter

    /// A service that reports `registry` every `interval`.
    ///
    /// - Parameters:
    ///   - registry: the registry to report; the shared one by default.
    ///   - interval: the time between reports, above zero.
    ///   - factory: the metrics backend; the one bootstrapped in `MetricsSystem` by default.
    ///   - logger: where events go.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for an interval of zero or less.
    public init(
        registry: MemoryRegistry = .shared, interval: Duration = .seconds(10), factory: (any MetricsFactory)? = nil,
        logger: Logger
    ) throws(AllocError) {
        guard interval > .zero else {
            throw AllocError(
                .invalidConfiguration, "the report interval must be above zero", notes: ["interval: \(interval)"])
        }
        self.registry = registry
        self.interval = interval
        self.reporter = MemoryMetricsReporter(factory: factory, logger: logger)
    }

    /// Reports at once, then every ``interval`` until graceful shutdown or cancellation, then
    /// once more.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                reporter.report(registry.snapshot())
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    break
                }
            }
        }
        reporter.report(registry.snapshot())
    }
}
