import Logging
import NebulaMemory

extension MemoryMetricsReporter {
    /// Something an operator must hear about, found by comparing a report with the previous one.
    struct Event {
        let level: Logger.Level
        let message: Logger.Message
        let metadata: Logger.Metadata

        /// The event `metric` going from `before` to `now` means for `entry`, if any: denials or
        /// leaks that grew, a root budget's pressure level that changed (or is above normal when
        /// first seen). `before` is nil for a registration not seen before.
        init?(metric: String, entry: MemorySnapshot.Entry, before: Int?, now: Int) {
            var metadata: Logger.Metadata = ["name": "\(entry.name)", "kind": "\(entry.report.kind.rawValue)"]
            switch metric {
            case "nebula_memory_budget_denials_total":
                let added = now - (before ?? 0)
                guard added > 0, let budget = entry.report.budget else { return nil }
                metadata["path"] = "\(budget.path)"
                metadata["denials"] = "\(added)"
                metadata["used_bytes"] = "\(budget.usedBytes)"
                metadata["limit_bytes"] = "\(budget.limitBytes)"
                self.init(level: .warning, message: "memory budget denied reservations", metadata: metadata)
            case "nebula_memory_budget_pressure_level":
                // A hierarchy shares one pressure level: logged for its root only.
                let from = before ?? MemoryPressure.normal.rawValue
                guard now != from, let budget = entry.report.budget, !budget.path.contains("/") else { return nil }
                metadata["path"] = "\(budget.path)"
                metadata["from"] = "\(MemoryPressure(rawValue: from) ?? .normal)"
                metadata["to"] = "\(budget.pressure)"
                self.init(
                    level: now > from ? .warning : .notice, message: "memory pressure level changed",
                    metadata: metadata)
            case "nebula_memory_pool_leaks_total":
                let added = now - (before ?? 0)
                guard added > 0 else { return nil }
                metadata["leaks"] = "\(added)"
                metadata["in_use"] = "\(entry.report.objectPool?.inUse ?? 0)"
                self.init(
                    level: .warning, message: "object pool objects out past the leak threshold", metadata: metadata)
            default:
                return nil
            }
        }

        private init(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata) {
            self.level = level
            self.message = message
            self.metadata = metadata
        }

        func log(to logger: Logger) {
            logger.log(level: level, message, metadata: metadata)
        }
    }
}
