extension StackAllocator {
    /// Pushes an allocation of `layout.size` bytes aligned to `layout.alignment`.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of the memory, uninitialized.
    /// - Throws: `ALLOC_ARENA_EXHAUSTED` with the stack's state when there is no room for the
    ///   allocation and its header; the stack is unchanged.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
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

    /// Pops the top allocation.
    ///
    /// - Parameters:
    ///   - pointer: the top allocation.
    ///   - layout: the layout `pointer` was allocated with.
    /// - Throws: `ALLOC_LIFO_VIOLATION` for a live allocation below the top;
    ///   `ALLOC_INVALID_POINTER` for a pointer the stack does not hold (foreign, already
    ///   freed) or a `layout.size` that does not match the top allocation; in hardened mode
    ///   `ALLOC_INVALID_STATE` ("heap corruption detected") when the allocation's canary is
    ///   damaged. The stack is then unchanged.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        if !_state.pointee.deallocateFast(pointer, layout: layout) { try _deallocateSlow(pointer, layout: layout) }
    }

    @usableFromInline
    @inline(never)
    func _deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        try _state.pointee.deallocateSlow(pointer, layout: layout)
    }

    /// Allocates and initializes a `T`; a non-trivial `T` is deinitialized when its frame is
    /// released (or on reset, or the stack's deinit).
    ///
    /// - Parameter value: the value to store.
    /// - Returns: the memory holding `value`.
    /// - Throws: as ``allocate(_:)``.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        try _DropList.create(value, in: self, drops: _state.pointer(to: \.drops)!)
    }
}
