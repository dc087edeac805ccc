import Synchronization

/// The heap corruption the hardened allocators found, kept for monitoring: a count of
/// detections since the process started and the most recent reports, each with a sequence number, so that a
/// monitor (such as `NebulaMemoryMetrics`' reporter) can log each one once.
///
/// ```swift
/// var seen = 0
/// for event in HeapCorruptionLog.events(after: seen) {
///     print(event.error)          // ALLOC_INVALID_STATE: heap corruption detected: …
///     seen = event.sequence
/// }
/// ```
public enum HeapCorruptionLog {
    /// One corruption found.
    public struct Event: Sendable, Equatable {
        /// 1 for the first corruption the process found, 2 for the next, and so on.
        public let sequence: Int
        /// The error the allocator reported (`ALLOC_INVALID_STATE`, severity critical).
        public let error: AllocError
    }

    /// How many reports are kept; older ones are dropped (their count stays in ``count``).
    public static let capacity = 64

    private static let state = Mutex(_CorruptionRing())

    /// Detections since the process started: a damaged canary found twice (two checks of the
    /// same allocation) counts twice.
    public static var count: Int { state.withLock { $0.count } }

    /// The reports kept whose sequence is above `sequence`, oldest first.
    ///
    /// - Parameter sequence: the last sequence already seen; 0 for all that are kept.
    /// - Returns: at most ``capacity`` events.
    public static func events(after sequence: Int) -> [Event] {
        state.withLock { ring in ring.events.filter { $0.sequence > sequence } }
    }

    /// Keeps `error`, a corruption just found; returns it.
    static func record(_ error: AllocError) -> AllocError {
        state.withLock { $0.append(error) }
        return error
    }
}

/// The kept reports of ``HeapCorruptionLog``.
struct _CorruptionRing: ~Copyable {
    var count = 0
    var events: [HeapCorruptionLog.Event] = []

    mutating func append(_ error: AllocError) {
        count += 1
        if events.count == HeapCorruptionLog.capacity { events.removeFirst() }
        events.append(HeapCorruptionLog.Event(sequence: count, error: error))
    }
}
