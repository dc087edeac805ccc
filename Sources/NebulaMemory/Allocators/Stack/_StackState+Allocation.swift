extension _StackState {
    /// Pushes an allocation at `address` and returns true when it fits and needs no checks;
    /// false sends the caller to the slow path, through a method of its own: a call on the
    /// state would keep the state's address in a register for the whole of the caller's loop.
    @inlinable
    @inline(__always)
    mutating func allocateFast(_ layout: Layout, at address: inout Int) -> Bool {
        let freed = freedTop
        if _fastPath(freed != 0) {
            // The top allocation, freed and not yet popped: reused in place when this allocation
            // would start there anyway (aligned, and no aligned address in its padding) and fits.
            let padding = _StackHeader.distanceToPreviousCursor(below: freed) &- StackAllocator.headerSize
            if _fastPath(
                freed & (layout.alignment &- 1) == 0 && UInt(bitPattern: padding) < UInt(bitPattern: layout.alignment)
                    && layout.size <= fastLimit &- freed)
            {
                freedTop = 0
                cursor = freed &+ layout.size
                if trackStatistics { counters.unsafelyUnwrapped.recordSize(layout.size) }
                address = freed
                return true
            }
            popFreedTop()
        }
        let cursor = self.cursor
        let start = _alignUp(cursor &+ StackAllocator.headerSize, layout.alignment)
        guard layout.size <= fastLimit &- start else { return false }
        _StackHeader(previousCursor: cursor, previousTop: top).store(
            below: UnsafeMutableRawPointer(bitPattern: start).unsafelyUnwrapped)
        self.cursor = start &+ layout.size
        top = start
        placed &+= 1
        if trackStatistics { counters.unsafelyUnwrapped.recordSize(layout.size) }
        address = start
        return true
    }

    /// Debug fill, hardened mode, or a full stack.
    @usableFromInline
    @inline(__always)
    mutating func allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        settle()
        let cursor = self.cursor
        let start = _alignUp(cursor + StackAllocator.headerSize, layout.alignment)
        // The canary (hardened) needs room after the allocation's bytes.
        guard layout.size <= limit - start - canaryBytes else {
            throw full(layout)
        }
        let pointer = UnsafeMutableRawPointer(bitPattern: start)!
        _StackHeader(previousCursor: cursor, previousTop: top).store(below: pointer)
        self.cursor = start + layout.size + canaryBytes
        top = start
        placed += 1
        if trackStatistics { counters.unsafelyUnwrapped.recordSize(layout.size) }
        if debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: layout.size) }
        if hardened { _Canary.write(at: start + layout.size, key: canaryKey) }
        return pointer
    }

    /// Frees the top allocation (its pop deferred) and returns true when no checks are
    /// needed; false sends the caller to the slow path.
    @inlinable
    @inline(__always)
    mutating func deallocateFast(_ pointer: UnsafeMutableRawPointer, layout: Layout) -> Bool {
        let address = Int(bitPattern: pointer)
        // Hardened stacks check the canary on the slow path: a size that wrongly counted the
        // canary's bytes must not pop unchecked here. Debug fill pops there too.
        // A second free of a freed top finds `freedTop` set and is reported by the slow path.
        // The four conditions (the top, its size, no deferred free, above the newest restore
        // point) are folded into one word tested once: one branch instead of four.
        let mismatch =
            (address ^ top) | ((address &+ layout.size) ^ cursor) | freedTop | ~((deferFloor &- address) &>> 63)
        guard _fastPath(mismatch == 0) else { return false }
        notePeak()
        freedTop = address
        deferredFrees &+= 1
        return true
    }

    /// Pops the allocation at `start`, the top one, filling its bytes in debug mode.
    mutating func pop(from start: Int) {
        let header = _StackHeader.load(below: start)
        notePeak()
        poppedFrees &+= 1
        release(toCursor: header.previousCursor, top: header.previousTop)
        points.invalidate(above: header.previousCursor &- base)
        pointsChanged()
    }

    @usableFromInline
    @inline(__always)
    mutating func deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        settle()
        let address = Int(bitPattern: pointer)
        let end = address &+ layout.size &+ canaryBytes
        if let record = drops.head, record.pointee.value == pointer, Int(bitPattern: record) == top, end == cursor {
            // The newest value from `create`: its record goes with it; the caller deinitialized it.
            if hardened { try checkCanaries(above: Int(bitPattern: record) - 1) }
            drops.forgetNewest()
            pop(from: Int(bitPattern: record))
            return
        }
        if address == top, address != base, end == cursor {
            if hardened { try checkCanaries(above: address - 1) }
            pop(from: address)
            return
        }
        throw notTheTop(pointer, layout: layout)
    }

    /// Moves the top allocation to hold `new` (in place when its start stays aligned).
    mutating func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout)
        throws(AllocError) -> UnsafeMutableRawPointer
    {
        settle()
        let address = Int(bitPattern: pointer)
        // The base is the top of an empty stack, but no allocation starts there.
        guard address == top, address != base, address & (old.alignment - 1) == 0,
            old.size == cursor &- address &- canaryBytes
        else {
            throw notTheTop(pointer, layout: old)
        }
        if hardened { try checkCanaries(above: address - 1) }
        let header = _StackHeader.load(below: address)
        let start = _alignUp(header.previousCursor + StackAllocator.headerSize, new.alignment)
        guard new.size <= limit - start - canaryBytes else { throw full(new) }
        let kept = Swift.min(old.size, new.size)
        let moved = UnsafeMutableRawPointer(bitPattern: start)!
        if start != address {
            // Overlapping ranges: a memmove. The header goes below the new start afterwards,
            // over bytes already moved.
            moved.copyMemory(from: pointer, byteCount: kept)
            header.store(below: moved)
        }
        notePeak()
        if debugFill {
            if new.size > kept { _RawMemory.fill(moved + kept, byte: _FillPattern.fresh, count: new.size - kept) }
            let end = start + new.size
            if cursor > end {
                _RawMemory.fill(
                    UnsafeMutableRawPointer(bitPattern: end)!, byte: _FillPattern.reclaimed, count: cursor - end)
            }
        }
        cursor = start + new.size + canaryBytes
        top = start
        if hardened { _Canary.write(at: start + new.size, key: canaryKey) }
        points.invalidate(above: header.previousCursor - base)
        pointsChanged()
        return moved
    }
}
