extension StackAllocator {
    /// Pushes an allocation of `layout.size` bytes aligned to `layout.alignment`.
    ///
    /// - Throws: `ALLOC_ARENA_EXHAUSTED` with the stack's state when there is no room for the
    ///   allocation and its header; the stack is unchanged.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        let freed = state.pointee.freedTop
        if _fastPath(freed != 0) {
            // The top allocation, freed and not yet popped: reused in place when this allocation
            // would start there anyway (aligned, and no aligned address in its padding) and fits.
            let padding = _StackHeader.distanceToPreviousCursor(below: freed) &- StackAllocator.headerSize
            if _fastPath(
                freed & (layout.alignment &- 1) == 0 && UInt(bitPattern: padding) < UInt(bitPattern: layout.alignment)
                    && layout.size <= state.pointee.fastLimit &- freed)
            {
                state.pointee.freedTop = 0
                state.pointee.cursor = freed &+ layout.size
                return UnsafeMutableRawPointer(bitPattern: freed).unsafelyUnwrapped
            }
            state.pointee.popFreedTop()
        }
        let cursor = state.pointee.cursor
        let start = _alignUp(cursor &+ StackAllocator.headerSize, layout.alignment)
        guard layout.size <= state.pointee.fastLimit &- start else {
            return try _allocateSlow(layout)
        }
        let pointer = UnsafeMutableRawPointer(bitPattern: start).unsafelyUnwrapped
        _StackHeader(previousCursor: cursor, previousTop: state.pointee.top).store(below: pointer)
        state.pointee.cursor = start &+ layout.size
        state.pointee.top = start
        state.pointee.placed &+= 1
        return pointer
    }

    /// Debug fill, hardened mode, or a full stack.
    @usableFromInline
    @inline(never)
    func _allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        state.pointee.settle()
        let cursor = state.pointee.cursor
        let start = _alignUp(cursor + StackAllocator.headerSize, layout.alignment)
        // The canary (hardened) needs room after the allocation's bytes.
        guard layout.size <= state.pointee.limit - start - state.pointee.canaryBytes else {
            throw _full(layout)
        }
        let pointer = UnsafeMutableRawPointer(bitPattern: start)!
        _StackHeader(previousCursor: cursor, previousTop: state.pointee.top).store(below: pointer)
        state.pointee.cursor = start + layout.size + state.pointee.canaryBytes
        state.pointee.top = start
        state.pointee.placed += 1
        if state.pointee.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: layout.size) }
        if state.pointee.hardened { _Canary.write(at: start + layout.size, key: state.pointee.canaryKey) }
        return pointer
    }

    /// Pops the top allocation.
    ///
    /// - Throws: `ALLOC_LIFO_VIOLATION` for a live allocation below the top;
    ///   `ALLOC_INVALID_POINTER` for a pointer the stack does not hold (foreign, already
    ///   freed) or a `layout.size` that does not match the top allocation; in hardened mode
    ///   `ALLOC_INVALID_STATE` ("heap corruption detected") when the allocation's canary is
    ///   damaged. The stack is then unchanged.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let state = _state
        let address = Int(bitPattern: pointer)
        // Hardened stacks check the canary on the slow path: a size that wrongly counted the
        // canary's bytes must not pop unchecked here. Debug fill pops there too.
        // A second free of a freed top finds `freedTop` set and is reported by the slow path.
        // The four conditions (the top, its size, no deferred free, above the newest restore
        // point) are folded into one word tested once: one branch instead of four.
        let mismatch =
            (address ^ state.pointee.top) | ((address &+ layout.size) ^ state.pointee.cursor)
            | state.pointee.freedTop | ~((state.pointee.deferFloor &- address) &>> 63)
        guard _fastPath(mismatch == 0) else {
            return try _deallocateSlow(pointer, layout: layout)
        }
        state.pointee.notePeak()
        state.pointee.freedTop = address
        state.pointee.deferredFrees &+= 1
    }

    /// Pops the allocation at `start`, the top one, filling its bytes in debug mode.
    func _pop(from start: Int) {
        let state = _state
        let header = _StackHeader.load(below: start)
        state.pointee.notePeak()
        state.pointee.poppedFrees &+= 1
        state.pointee.release(toCursor: header.previousCursor, top: header.previousTop)
        state.pointee.points.invalidate(above: header.previousCursor &- state.pointee.base)
        state.pointee.pointsChanged()
    }

    @usableFromInline
    @inline(never)
    func _deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let state = _state
        state.pointee.settle()
        let address = Int(bitPattern: pointer)
        let end = address &+ layout.size &+ state.pointee.canaryBytes
        if let record = state.pointee.drops.head, record.pointee.value == pointer,
            Int(bitPattern: record) == state.pointee.top, end == state.pointee.cursor
        {
            // The newest value from `create`: its record goes with it; the caller deinitialized it.
            if state.pointee.hardened { try _checkCanaries(above: Int(bitPattern: record) - 1) }
            state.pointee.drops.forgetNewest()
            _pop(from: Int(bitPattern: record))
            return
        }
        if address == state.pointee.top, address != state.pointee.base, end == state.pointee.cursor {
            if state.pointee.hardened { try _checkCanaries(above: address - 1) }
            _pop(from: address)
            return
        }
        throw _notTheTop(pointer, layout: layout)
    }

    /// The error for freeing or resizing `pointer` with `layout`, which is not the top
    /// allocation of that size: a size mismatch, an allocation below the top, or a pointer
    /// the stack does not hold.
    @usableFromInline
    func _notTheTop(_ pointer: UnsafeMutableRawPointer, layout: Layout) -> AllocError {
        let state = _state
        let address = Int(bitPattern: pointer)
        if address == state.pointee.top, address != state.pointee.base {
            return withState(
                AllocError(
                    .invalidPointer, "layout size \(layout.size) does not match the top allocation", layout: layout,
                    notes: [
                        "the top allocation has \(state.pointee.cursor - address - state.pointee.canaryBytes) bytes"
                    ]))
        }
        if address > state.pointee.base, address < state.pointee.top {
            return withState(
                AllocError(
                    .lifoViolation, "pointer \(pointer) is below the top of the stack", layout: layout,
                    notes: ["only the newest allocation can be freed or resized; nothing changed"]))
        }
        return withState(AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .stack))
    }

    @usableFromInline
    func _full(_ layout: Layout) -> AllocError {
        if _state.pointee.trackStatistics { _state.pointee.failedAllocations += 1 }
        return withState(
            AllocError(
                .arenaExhausted, "stack has insufficient space", layout: layout,
                suggestion: "create the stack with a larger capacity, or pop frames sooner",
                notes: ["each allocation also takes a \(StackAllocator.headerSize)-byte header"]))
    }

    /// Allocates and initializes a `T`; a non-trivial `T` is deinitialized when its frame is
    /// released (or on reset, or the stack's deinit).
    ///
    /// - Throws: as ``allocate(_:)``.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        try _DropList.create(value, in: self, drops: _state.pointer(to: \.drops)!)
    }
}
