/// An object that can report on its memory to a ``MemoryRegistry``.
///
/// The thread-safe allocators, budgets and thread-safe object pools conform. A conformer must
/// be safe to read from any thread, since exporters read the registry from their own task.
public protocol MemoryReportable: AnyObject, Sendable {
    /// The object's readings now.
    var memoryReport: MemoryReport { get }
}
