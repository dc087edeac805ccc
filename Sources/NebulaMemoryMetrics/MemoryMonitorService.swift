import Logging
import NebulaMemory
import ServiceLifecycle

/// Runs a ``MemoryMonitor`` as a service: samples system memory at the monitor's interval
/// (updating its budget's pressure level), and logs every level change.
///
/// ```swift
/// let monitor = try MemoryMonitor(interval: .seconds(1), budget: engineBudget)
/// // Listed before the server: a group stops its services in reverse order.
/// let group = ServiceGroup(services: [MemoryMonitorService(monitor, logger: logger), server], logger: logger)
/// ```
public struct MemoryMonitorService: Service {
    /// The monitor run.
    public let monitor: MemoryMonitor
    private let logger: Logger

    /// A service running `monitor` and logging its level changes to `logger`.
    ///
    /// - Parameters:
    ///   - monitor: the monitor to run.
    ///   - logger: where level changes go: rises as warnings, falls as notices.
    public init(_ monitor: MemoryMonitor, logger: Logger) {
        self.monitor = monitor
        self.logger = logger
    }

    /// Samples until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var previous = monitor.level
            for await level in monitor.levels() where level != previous {
                logger.log(
                    level: level > previous ? .warning : .notice, "memory pressure level changed",
                    metadata: ["from": "\(previous)", "to": "\(level)"])
                previous = level
            }
        }
    }
}
