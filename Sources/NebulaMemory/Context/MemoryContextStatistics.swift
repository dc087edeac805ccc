/// Counts of the memory contexts this process opened and closed, read with
/// ``MemoryContext/statistics`` or registered through ``MemoryContexts``.
///
/// Every thread counts its own contexts and the counts are added up when read, so counting
/// costs opening a context no shared write.
public struct MemoryContextStatistics: Sendable, Hashable, Codable {
    /// Contexts opened since the process started.
    public var opened: Int
    /// Contexts closed (their body returned or threw).
    public var closed: Int
    /// Opened contexts that reused a closed one whole (budget and arena), the cheapest open.
    public var reopened: Int

    /// Contexts open now: opened and not yet closed.
    public var open: Int { opened - closed }

    /// Counts with the given values.
    ///
    /// - Parameters:
    ///   - opened: contexts opened.
    ///   - closed: contexts closed.
    ///   - reopened: opens that reused a closed context.
    public init(opened: Int = 0, closed: Int = 0, reopened: Int = 0) {
        self.opened = opened
        self.closed = closed
        self.reopened = reopened
    }
}
