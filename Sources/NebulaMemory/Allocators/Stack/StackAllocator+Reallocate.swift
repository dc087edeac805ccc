extension StackAllocator {
    /// Resizes the top allocation in place: it grows or shrinks at its start, or moves within
    /// its own header's reach when `new` asks for a larger alignment. Only the top can be
    /// resized, as only the top can be freed.
    ///
    /// Markers taken after the top allocation no longer hold once it is resized: releasing to
    /// one throws `ALLOC_INVALID_STATE`, as after a pop.
    ///
    /// ```swift
    /// var row = try stack.allocate(Layout(size: 128, alignment: 8))
    /// row = try stack.reallocate(row, from: Layout(size: 128, alignment: 8), to: Layout(size: 512, alignment: 8))
    /// ```
    ///
    /// - Parameters:
    ///   - pointer: the top allocation, made with `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`: `pointer` unless a larger alignment moved it.
    /// - Throws: as ``deallocate(_:layout:)`` for a `pointer` that is not the top allocation
    ///   of `old.size` bytes (`ALLOC_LIFO_VIOLATION`, `ALLOC_INVALID_POINTER`); in hardened mode
    ///   `ALLOC_INVALID_STATE` for a damaged canary; `ALLOC_ARENA_EXHAUSTED` when `new` does not
    ///   fit. The stack and the old bytes are unchanged then.
    /// - Complexity: O(1), plus the move of the bytes when the alignment moves them.
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        let state = _state
        state.pointee.settle()
        let address = Int(bitPattern: pointer)
        // The base is the top of an empty stack, but no allocation starts there.
        guard address == state.pointee.top, address != state.pointee.base, address & (old.alignment - 1) == 0,
            old.size == state.pointee.cursor &- address &- state.pointee.canaryBytes
        else {
            throw _notTheTop(pointer, layout: old)
        }
        if state.pointee.hardened { try _checkCanaries(above: address - 1) }
        let header = _StackHeader.load(below: address)
        let start = _alignUp(header.previousCursor + StackAllocator.headerSize, new.alignment)
        guard new.size <= state.pointee.limit - start - state.pointee.canaryBytes else { throw _full(new) }
        let kept = Swift.min(old.size, new.size)
        let moved = UnsafeMutableRawPointer(bitPattern: start)!
        if start != address {
            // Overlapping ranges: a memmove. The header goes below the new start afterwards,
            // over bytes already moved.
            moved.copyMemory(from: pointer, byteCount: kept)
            header.store(below: moved)
        }
        state.pointee.notePeak()
        if state.pointee.debugFill {
            if new.size > kept { _RawMemory.fill(moved + kept, byte: _FillPattern.fresh, count: new.size - kept) }
            let end = start + new.size
            if state.pointee.cursor > end {
                _RawMemory.fill(
                    UnsafeMutableRawPointer(bitPattern: end)!, byte: _FillPattern.reclaimed,
                    count: state.pointee.cursor - end)
            }
        }
        state.pointee.cursor = start + new.size + state.pointee.canaryBytes
        state.pointee.top = start
        if state.pointee.hardened { _Canary.write(at: start + new.size, key: state.pointee.canaryKey) }
        state.pointee.points.invalidate(above: header.previousCursor - state.pointee.base)
        state.pointee.pointsChanged()
        return moved
    }
}
