/// The process's memory contexts as an object a ``MemoryRegistry`` can hold: register one to
/// export how many contexts opened, closed and are open now. Every instance reports the same
/// process-wide counts; keep the one you register, as the registry holds it weakly.
///
/// ```swift
/// let contexts = MemoryContexts()
/// try MemoryRegistry.shared.register(contexts, as: "contexts")
/// ```
public final class MemoryContexts: MemoryReportable {
    /// A reporter of the process's memory contexts.
    public init() {}

    /// The counts of ``MemoryContext/statistics``.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .contexts, contexts: MemoryContext.statistics)
    }
}
