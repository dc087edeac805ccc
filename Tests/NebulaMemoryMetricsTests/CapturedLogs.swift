import Logging
import Synchronization

/// A log handler that keeps every record, for checking what a component logged.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let stored = Mutex<[Record]>([])

    var records: [Record] { stored.withLock { $0 } }

    /// A logger whose records land here.
    func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(logs: self) }
    }

    fileprivate func append(_ record: Record) {
        stored.withLock { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
                flat[key] = "\(value)"
            }
            logs.append(Record(level: event.level, message: "\(event.message)", metadata: flat))
        }
    }
}
