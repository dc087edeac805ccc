extension BumpAllocator {
    /// Returns `layout.size` bytes aligned to `layout.alignment` from the arena.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of the memory, uninitialized.
    /// - Throws: `ALLOC_ARENA_EXHAUSTED` (with the arena's state) when there is no room and the
    ///   arena may not grow; `ALLOC_OUT_OF_MEMORY` when growth found the system out of memory;
    ///   `ALLOC_BUDGET_EXCEEDED` when the arena's budget denies the chunk growth needs.
    ///   The arena is unchanged in each case.
    /// - Complexity: O(1); adding a chunk also walks the spare chunks.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        var address = 0
        guard _state.pointee.allocateFast(layout, at: &address) else { return try _allocateSlow(layout) }
        return UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped
    }

    @usableFromInline
    @inline(never)
    func _allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try _state.pointee.allocateSlow(layout)
    }

    /// Reclaims the newest allocation; any other live allocation is accepted and left in place
    /// until the next reset or restore.
    ///
    /// - Parameters:
    ///   - pointer: an allocation of this arena.
    ///   - layout: the layout `pointer` was allocated with.
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer that is not inside the arena's used
    ///   memory, not aligned to `layout.alignment`, or whose `layout.size` runs past it (this
    ///   includes freeing the newest allocation twice), in hardened mode also for one that lies
    ///   in no live allocation; in hardened mode `ALLOC_INVALID_STATE` ("heap corruption
    ///   detected") for a damaged canary. The arena is unchanged.
    /// - Complexity: O(1) for the newest allocation; O(chunks) to validate any other pointer
    ///   (plus O(live allocations) in hardened mode).
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        if !_state.pointee.deallocateFast(pointer, layout: layout) { try _deallocateSlow(pointer, layout: layout) }
    }

    @usableFromInline
    @inline(never)
    func _deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        try _state.pointee.deallocateSlow(pointer, layout: layout)
    }

    /// Allocates and initializes a `T`; a non-trivial `T` is deinitialized when its memory is
    /// reclaimed (reset, restore, scope end, or the arena's deinit), newest first.
    ///
    /// ```swift
    /// let node = try arena.create(NodeState(name: "fetch"))   // a struct holding a String
    /// node.pointee.retries += 1
    /// arena.reset()   // NodeState's String is released here
    /// ```
    ///
    /// - Parameter value: the value to store.
    /// - Returns: the memory holding `value`.
    /// - Throws: as ``allocate(_:)``.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        try _DropList.create(value, in: self, drops: _state.pointer(to: \.drops)!)
    }
}
