extension BumpAllocator {
    /// Returns `layout.size` bytes aligned to `layout.alignment` from the arena.
    ///
    /// - Throws: `ALLOC_ARENA_EXHAUSTED` (with the arena's state) when there is no room and the
    ///   arena may not grow; `ALLOC_OUT_OF_MEMORY` when growth found the system out of memory.
    ///   The arena is unchanged in both cases.
    /// - Complexity: O(1).
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        let start = _alignUp(state.pointee.cursor, layout.alignment)
        // `fastLimit - start` may be negative after padding (or with debug fill, whose fast
        // limit is 0); the signed comparison then fails.
        if layout.size <= state.pointee.fastLimit &- start {
            state.pointee.cursor = start &+ layout.size
            state.pointee.last = start
            if state.pointee.trackStatistics { state.pointee.allocations &+= 1 }
            return UnsafeMutableRawPointer(bitPattern: start).unsafelyUnwrapped
        }
        return try _allocateSlow(layout)
    }

    @usableFromInline
    @inline(never)
    func _allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        // Hardened: the canary after the allocation's bytes takes room too, and the record of
        // the allocation must be sure to fit before anything changes.
        var taken = layout
        if state.pointee.hardened {
            let (size, overflow) = layout.size.addingReportingOverflow(_Canary.size)
            guard !overflow else {
                if state.pointee.trackStatistics { state.pointee.failedAllocations += 1 }
                throw exhausted(layout)
            }
            guard state.pointee.canaries.reserveOne() else {
                if state.pointee.trackStatistics { state.pointee.failedAllocations += 1 }
                throw AllocError.systemOutOfMemory(
                    bytes: MemoryLayout<_CanaryLog.Entry>.stride, allocatorKind: .arena, layout: layout)
            }
            taken = Layout(_uncheckedSize: size, alignment: layout.alignment)
        }
        var start = _alignUp(state.pointee.cursor, taken.alignment)
        if taken.size <= state.pointee.limit - start {
            state.pointee.cursor = start + taken.size
        } else {
            var failure: _ChunkFailure?
            guard let moved = state.pointee.advanceChunk(for: taken, failure: &failure) else {
                if state.pointee.trackStatistics { state.pointee.failedAllocations += 1 }
                throw failure?.error(for: layout, bytes: taken.size) ?? exhausted(layout)
            }
            start = moved
        }
        state.pointee.last = start
        if state.pointee.trackStatistics { state.pointee.allocations += 1 }
        let pointer = UnsafeMutableRawPointer(bitPattern: start)!
        if state.pointee.debugFill {
            _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: layout.size)
        }
        if state.pointee.hardened {
            _Canary.write(at: start + layout.size, key: state.pointee.canaryKey)
            state.pointee.canaries.append(address: start, size: layout.size)
        }
        return pointer
    }

    /// Reclaims the newest allocation; any other live allocation is accepted and left in place
    /// until the next reset or restore.
    ///
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer that is not inside the arena's used
    ///   memory, not aligned to `layout.alignment`, or whose `layout.size` runs past it (this
    ///   includes freeing the newest allocation twice). The arena is unchanged.
    /// - Complexity: O(1) for the newest allocation; O(chunks) to validate any other pointer.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let state = _state
        let address = Int(bitPattern: pointer)
        // The alignment is checked here too, so that every configuration rejects the same layouts.
        if address == state.pointee.last, address &+ layout.size == state.pointee.cursor,
            address & (layout.alignment &- 1) == 0, !state.pointee.checked
        {
            if state.pointee.trackStatistics {
                state.pointee.notePeak()
                state.pointee.deallocations &+= 1
            }
            state.pointee.cursor = address
            state.pointee.last = 0
            return
        }
        try _deallocateSlow(pointer, layout: layout)
    }

    @usableFromInline
    @inline(never)
    func _deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let state = _state
        let address = Int(bitPattern: pointer)
        if state.pointee.hardened, address == state.pointee.last, address & (layout.alignment - 1) == 0,
            state.pointee.canaries.count > 0
        {
            // The newest allocation, as the inlined fast path takes it, but with its canary.
            let newest = state.pointee.canaries[state.pointee.canaries.count - 1]
            if newest.address == address, newest.size == layout.size {
                try _checkCanaries(state.pointee.canaries.count - 1..<state.pointee.canaries.count)
                state.pointee.notePeak()
                if state.pointee.zeroOnReset || state.pointee.debugFill {
                    state.pointee.scrub(address, count: state.pointee.cursor - address)
                }
                state.pointee.canaries.truncate(to: state.pointee.canaries.count - 1)
                state.pointee.cursor = address
                state.pointee.last = 0
                if state.pointee.trackStatistics { state.pointee.deallocations += 1 }
                return
            }
        }
        guard address & (layout.alignment - 1) == 0, let regionStart = liveRegion(holding: address, size: layout.size)
        else {
            throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
        }
        let cursor = state.pointee.cursor
        // Where the newest allocation's own bytes end: the cursor, or its canary when hardened.
        var newestEnd = cursor
        if state.pointee.hardened {
            guard let index = state.pointee.canaries.index(containing: address, size: layout.size) else {
                throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
            }
            try _checkCanaries(index..<index + 1)
            let entry = state.pointee.canaries[index]
            newestEnd = index == state.pointee.canaries.count - 1 ? entry.address + entry.size : -1
        }
        state.pointee.notePeak()
        var reclaimFrom: Int?
        if address == state.pointee.last, address + layout.size == newestEnd {
            reclaimFrom = address
        }
        if let record = state.pointee.drops.record(of: pointer, alignment: layout.alignment, lowerBound: regionStart) {
            // The caller deinitialized the value, as the Allocator contract asks: never again.
            if record == state.pointee.drops.head, Int(bitPattern: record) == state.pointee.last,
                address + layout.size == newestEnd
            {
                state.pointee.drops.forgetNewest()
                reclaimFrom = Int(bitPattern: record)
            } else {
                record.pointee.type = nil
            }
        }
        if let from = reclaimFrom {
            if state.pointee.scrubs { state.pointee.scrub(from, count: cursor - from) }
            if state.pointee.hardened { state.pointee.canaries.truncate(to: state.pointee.canaries.count - 1) }
            state.pointee.cursor = from
            state.pointee.last = 0
        }
        if state.pointee.trackStatistics { state.pointee.deallocations += 1 }
    }

    /// The start of the chunk region holding `[address, address + size)` when that range lies
    /// in memory the arena has handed out, else nil.
    func liveRegion(holding address: Int, size: Int) -> Int? {
        _ArenaChunk.liveRegion(
            holding: address, size: size, newest: _state.pointee.chunk, newestEnd: _state.pointee.cursor)
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
    /// - Throws: as ``allocate(_:)``.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        try _DropList.create(value, in: self, drops: _state.pointer(to: \.drops)!)
    }
}
