// Out-of-line builders for errors that describe an allocator's state.

extension AllocError {
    @usableFromInline
    @inline(never)
    static func badConfiguration(_ message: String, value: String) -> AllocError {
        AllocError(.invalidConfiguration, message, notes: [value])
    }

    @usableFromInline
    @inline(never)
    static func systemOutOfMemory(bytes: Int, allocatorKind: AllocError.AllocatorKind, layout: Layout? = nil)
        -> AllocError
    {
        AllocError(
            .outOfMemory, "the system allocator returned no memory for \(bytes) bytes", layout: layout,
            allocatorKind: allocatorKind)
    }

    @usableFromInline
    @inline(never)
    static func foreignPointer(
        _ pointer: UnsafeMutableRawPointer, layout: Layout, allocatorKind: AllocError.AllocatorKind
    ) -> AllocError {
        AllocError(
            .invalidPointer, "pointer \(pointer) is not a live allocation of this \(allocatorKind)", layout: layout,
            allocatorKind: allocatorKind,
            notes: ["nothing was freed; the \(allocatorKind) is unchanged"])
    }

    @usableFromInline
    @inline(never)
    static func foreignRestorePoint(
        _ what: String, allocatorKind: AllocError.AllocatorKind, capacity: Int, used: Int, available: Int
    ) -> AllocError {
        AllocError(
            .invalidState, "\(what) belongs to another \(allocatorKind)", allocatorKind: allocatorKind,
            capacity: capacity, used: used, available: available,
            suggestion: "restore a \(what) only on the \(allocatorKind) that made it")
    }

    @usableFromInline
    @inline(never)
    static func staleRestorePoint(
        _ what: String, offset: Int, allocatorKind: AllocError.AllocatorKind, capacity: Int, used: Int, available: Int
    ) -> AllocError {
        AllocError(
            .invalidState, "\(what) at offset \(offset) was invalidated by an earlier reset, restore or release",
            allocatorKind: allocatorKind, capacity: capacity, used: used, available: available)
    }
}
