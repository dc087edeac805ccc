extension AllocationProfiler {
    /// Counts a typed allocation; called by the typed API only when the profiler is on.
    ///
    /// - Parameters:
    ///   - memory: what the allocator returned.
    ///   - size: its size in bytes.
    ///   - file: the caller's `#fileID`.
    ///   - line: the caller's `#line`.
    ///   - allocator: the allocator that served it.
    @usableFromInline
    @inline(never)
    static func _allocated(
        _ memory: UnsafeMutableRawPointer, size: Int, file: StaticString, line: UInt, by allocator: AnyObject
    ) {
        _ProfilerState.shared.allocated(UInt(bitPattern: memory), size: size, file: file, line: line, by: allocator)
    }

    /// Forgets a sampled allocation given back through the typed API; called only when the
    /// profiler is on.
    ///
    /// - Parameter memory: the memory being deallocated.
    @usableFromInline
    @inline(never)
    static func _deallocated(_ memory: UnsafeMutableRawPointer) {
        _ProfilerState.shared.deallocated(UInt(bitPattern: memory))
    }
}
