/// The process's memory contexts as one object a ``MemoryRegistry`` can hold: register
/// ``shared`` to export how many contexts opened, closed and are open now.
///
/// ```swift
/// try MemoryRegistry.shared.register(MemoryContexts.shared, as: "contexts")
/// ```
public final class MemoryContexts: MemoryReportable {
    /// The one instance; contexts are counted per process.
    public static let shared = MemoryContexts()

    private init() {}

    /// The counts of ``MemoryContext/statistics``.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .contexts, contexts: MemoryContext.statistics)
    }
}
