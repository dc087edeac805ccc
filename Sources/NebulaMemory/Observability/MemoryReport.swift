/// What one registered object reports: its kind and the readings that kind has.
///
/// An allocator fills `allocator` (and `capacityBytes`), a budget `budget`, an object pool
/// `objectPool`; the other sections are `nil`. Reports are plain values: read one, keep it,
/// compare it with a later one.
///
/// ```swift
/// let report = arena.memoryReport
/// if let stats = report.allocator { print(stats.bytesInUse, "of", report.capacityBytes ?? 0) }
/// ```
public struct MemoryReport: Sendable, Hashable, Codable {
    /// The kind of object reporting, as the `kind` label of exported metrics.
    public var kind: Kind
    /// Usable bytes the object holds (an arena's chunks, a block pool's blocks), when it has them.
    public var capacityBytes: Int?
    /// An allocator's counters; `nil` for other kinds, or when its `trackStatistics` is off.
    public var allocator: AllocatorStatistics?
    /// A budget's readings.
    public var budget: Budget?
    /// An object pool's readings.
    public var objectPool: ObjectPool?
    /// The process's memory contexts (``MemoryContexts``).
    public var contexts: MemoryContextStatistics?

    /// A report with the given sections.
    ///
    /// - Parameters:
    ///   - kind: the kind of object reporting.
    ///   - capacityBytes: bytes the object holds from the system, if any.
    ///   - allocator: an allocator's counters.
    ///   - budget: a budget's readings.
    ///   - objectPool: an object pool's readings.
    ///   - contexts: the process's memory contexts.
    public init(
        kind: Kind, capacityBytes: Int? = nil, allocator: AllocatorStatistics? = nil, budget: Budget? = nil,
        objectPool: ObjectPool? = nil, contexts: MemoryContextStatistics? = nil
    ) {
        self.kind = kind
        self.capacityBytes = capacityBytes
        self.allocator = allocator
        self.budget = budget
        self.objectPool = objectPool
        self.contexts = contexts
    }
}
