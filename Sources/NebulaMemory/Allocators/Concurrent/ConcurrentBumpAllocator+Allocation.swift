import Synchronization

extension ConcurrentBumpAllocator {
    /// Returns `layout.size` bytes aligned to `layout.alignment`; safe from any thread.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of the memory, uninitialized.
    /// - Throws: `ALLOC_ARENA_EXHAUSTED` when the arena has no room and may not grow;
    ///   `ALLOC_OUT_OF_MEMORY` when growth found the system out of memory;
    ///   `ALLOC_BUDGET_EXCEEDED` when the arena's budget denies the chunk growth needs;
    ///   `ALLOC_CONCURRENT_ACCESS` (with `detectConcurrentMisuse`) when a reset or restore is
    ///   under way. The arena is unchanged in each case.
    /// - Complexity: O(1); lock-free, except that moving to another chunk takes the arena's
    ///   lock (and adding one walks the spare chunks).
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_alwaysSlow {
            let buffer = _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self)
            if buffer.pointee.epoch == _epoch.load(ordering: .relaxed) {
                let start = _alignUp(buffer.pointee.cursor, layout.alignment)
                if layout.size <= buffer.pointee.limit &- start {
                    buffer.pointee.cursor = start &+ layout.size
                    buffer.pointee.last = start
                    if _trackStatistics { buffer.pointee.recordSize(layout.size) }
                    return UnsafeMutableRawPointer(bitPattern: start).unsafelyUnwrapped
                }
            }
        }
        return try _allocateSlow(layout)
    }

    /// A new thread buffer, a large request, a thread without a slot, or the checked path.
    @usableFromInline
    @inline(never)
    func _allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let start: Int
        do {
            if configuration.detectConcurrentMisuse { try _enterAllocation() }
            defer { if configuration.detectConcurrentMisuse { _activity.subtract(1, ordering: .releasing) } }
            let index = _ThreadSlot.current
            if index < _ThreadSlot.count, layout.size <= _bufferSize / 4 {
                start = try _allocate(layout, in: _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self))
            } else {
                start = try _carve(layout)
                _sharedCounters?.recordSizeShared(layout.size)
            }
        } catch {
            throw _sharedCounters?.recordFailure(error) ?? error
        }
        let pointer = UnsafeMutableRawPointer(bitPattern: start)!
        if configuration.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: layout.size) }
        return pointer
    }

    /// Allocates from the calling thread's buffer, taking a new buffer when needed.
    private func _allocate(_ layout: Layout, in buffer: UnsafeMutablePointer<_ArenaThreadBuffer>)
        throws(AllocError) -> Int
    {
        let epoch = _epoch.load(ordering: .acquiring)
        if buffer.pointee.epoch != epoch || !fits(layout, in: buffer) {
            if _trackStatistics { buffer.pointee.claimCounters() }
            // A fresh buffer is 16-byte aligned: a request that would not fit one (a large
            // alignment) is carved on its own, so that its failure takes no buffer either.
            guard layout.size + Swift.max(0, layout.alignment - 16) <= _bufferSize,
                let region = try? _carve(Layout(_uncheckedSize: _bufferSize, alignment: 16))
            else {
                // Too little room left for a whole buffer: take exactly the request.
                let start = try _carve(layout)
                if _trackStatistics { buffer.pointee.recordSize(layout.size) }
                return start
            }
            buffer.pointee.cursor = region
            buffer.pointee.limit = region + _bufferSize
            buffer.pointee.last = 0
            buffer.pointee.epoch = epoch
        }
        let start = _alignUp(buffer.pointee.cursor, layout.alignment)
        buffer.pointee.cursor = start + layout.size
        buffer.pointee.last = start
        if _trackStatistics { buffer.pointee.recordSize(layout.size) }
        return start
    }

    private func fits(_ layout: Layout, in buffer: UnsafeMutablePointer<_ArenaThreadBuffer>) -> Bool {
        layout.size <= buffer.pointee.limit - _alignUp(buffer.pointee.cursor, layout.alignment)
    }

    /// Takes `layout` from the shared arena with one compare-and-exchange, adding a chunk
    /// under the lock when the current one is full.
    @usableFromInline
    func _carve(_ layout: Layout) throws(AllocError) -> Int {
        // A zero-size carve takes one byte: if it left the position where it was, freeing the
        // carve before it would give that memory back from under the live zero-size one.
        let size = Swift.max(1, layout.size)
        while true {
            let position = _carve.load(ordering: .acquiring)
            let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
            let base = chunk.pointee.base
            // A position below the chunk's base was read before another thread moved on: retry.
            if position >= base {
                let start = _ArenaChunk.start(of: chunk)
                let aligned = _alignUp(start + (position - base), layout.alignment)
                if size <= _ArenaChunk.end(of: chunk) - aligned {
                    let next = base + (aligned + size - start)
                    if _carve.compareExchange(expected: position, desired: next, ordering: .acquiringAndReleasing)
                        .exchanged
                    {
                        _newestCarve.store(aligned, ordering: .releasing)
                        return aligned
                    }
                    continue
                }
                try _advanceChunk(from: chunk, for: layout)
            }
        }
    }

    /// Moves the arena to the next chunk, unless another thread already did.
    private func _advanceChunk(from seen: UnsafeMutablePointer<_ArenaChunk>, for layout: Layout) throws(AllocError) {
        try _state.withLock { (state) throws(AllocError) in
            guard _chunk.load(ordering: .acquiring) == Int(bitPattern: seen) else { return }
            var failure: _ChunkFailure?
            guard let next = state.chunks.chunk(after: seen, fitting: layout, failure: &failure) else {
                throw failure?.error(for: layout, bytes: layout.size) ?? _exhausted(layout, state)
            }
            _capacity.store(state.chunks.capacity, ordering: .releasing)
            // Publish the chunk before the position, so a thread that reads the new position
            // also finds the new chunk.
            _chunk.store(Int(bitPattern: next), ordering: .releasing)
            let final = _carve.exchange(next.pointee.base, ordering: .acquiringAndReleasing)
            seen.pointee.usedEnd = _ArenaChunk.start(of: seen) + (final - seen.pointee.base)
        }
    }

    /// Registers an allocation in flight, or reports a reset or restore under way.
    @usableFromInline
    func _enterAllocation() throws(AllocError) {
        var current = _activity.load(ordering: .acquiring)
        while true {
            guard current >= 0 else { throw _concurrentAccess("an allocation ran into a reset or restore") }
            let (exchanged, original) = _activity.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    @usableFromInline
    func _concurrentAccess(_ message: String) -> AllocError {
        AllocError(
            .concurrentAccess, message, allocatorKind: .arena, capacity: capacity, used: used,
            notes: ["nothing was changed; reset, checkpoint and restore need the arena to themselves"])
    }

    /// Reclaims the calling thread's newest allocation; any other live allocation is accepted
    /// and left in place until the next reset or restore.
    ///
    /// - Parameters:
    ///   - pointer: an allocation of this arena.
    ///   - layout: the layout `pointer` was allocated with.
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer that is not in memory the arena handed
    ///   out, or not aligned to `layout.alignment`, or whose `layout.size` runs into the calling
    ///   thread's unused buffer (this includes freeing the thread's newest allocation twice); the
    ///   arena is unchanged.
    /// - Complexity: O(1) for the thread's newest allocation; O(chunks) under the lock otherwise.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_alwaysSlow {
            let buffer = _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self)
            let address = Int(bitPattern: pointer)
            // The alignment is checked here too, so that every configuration rejects the same layouts.
            if address == buffer.pointee.last, address &+ layout.size == buffer.pointee.cursor,
                address & (layout.alignment &- 1) == 0, buffer.pointee.epoch == _epoch.load(ordering: .relaxed)
            {
                buffer.pointee.cursor = address
                buffer.pointee.last = 0
                if _trackStatistics { buffer.pointee.deallocations.ownerIncrement() }
                return
            }
        }
        try _deallocateSlow(pointer, layout: layout)
    }

    @usableFromInline
    @inline(never)
    func _deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        guard address & (layout.alignment - 1) == 0, !_reachesUnusedBuffer(address, size: layout.size),
            _isLive(address, size: layout.size)
        else {
            throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
        }
        let drops = _DropList(
            head: UnsafeMutablePointer(bitPattern: _dropHead.load(ordering: .acquiring)), key: _dropKey)
        if drops.head != nil, let record = drops.record(ofValue: pointer) {
            // The caller deinitialized the value, as the Allocator contract asks: never again.
            record.pointee.type = nil
        }
        let index = _ThreadSlot.current
        if layout.size > _bufferSize / 4 || index >= _ThreadSlot.count {
            // Carved from the shared arena directly: reclaimed while nothing was carved after it.
            _reclaimCarved(address, size: layout.size)
        }
        if index < _ThreadSlot.count {
            let buffer = _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self)
            if address == buffer.pointee.last, address + layout.size == buffer.pointee.cursor,
                buffer.pointee.epoch == _epoch.load(ordering: .acquiring)
            {
                if configuration.debugFill {
                    _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: layout.size)
                }
                buffer.pointee.cursor = address
                buffer.pointee.last = 0
            }
            if _trackStatistics { buffer.pointee.deallocations.ownerIncrement() }
        } else if _trackStatistics {
            _sharedDeallocations.add(1, ordering: .relaxed)
        }
    }

    /// Whether `[address, address + size)` reaches into the free rest of the calling thread's
    /// buffer, which the arena has carved but never handed out: memory freed already, or a size
    /// longer than the allocation's. Other threads' buffers are theirs to read.
    func _reachesUnusedBuffer(_ address: Int, size: Int) -> Bool {
        let index = _ThreadSlot.current
        guard index < _ThreadSlot.count else { return false }
        let buffer = _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self)
        guard buffer.pointee.epoch == _epoch.load(ordering: .acquiring) else { return false }
        return address < buffer.pointee.limit && size > buffer.pointee.cursor - address
    }

    /// Gives `[address, address + size)` back to the shared arena when it is the newest carve
    /// and lies above the newest checkpoint.
    private func _reclaimCarved(_ address: Int, size: Int) {
        _state.withLock { state in
            let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
            let start = _ArenaChunk.start(of: chunk)
            guard address >= start, address + size <= _ArenaChunk.end(of: chunk) else { return }
            // Only the newest carve itself: a pointer inside it (or a size running to the
            // position) would give back memory that is still handed out.
            guard _newestCarve.load(ordering: .acquiring) == address else { return }
            let from = chunk.pointee.base + (address - start)
            // Reclaiming below a checkpoint would let a later restore move the arena forward
            // over memory handed out since.
            if let top = state.points.topPosition, from < top { return }
            let end = chunk.pointee.base + (address + size - start)
            // Zeroed before it is given back: once the position moves, another thread may take it.
            if configuration.zeroOnReset, _carve.load(ordering: .acquiring) == end { _scrub(address, count: size) }
            _ = _carve.compareExchange(expected: end, desired: from, ordering: .acquiringAndReleasing)
        }
    }

    /// Whether `[address, address + size)` lies in memory the arena has handed out.
    func _isLive(_ address: Int, size: Int) -> Bool {
        _state.withLock { _ in
            let newest = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
            let newestEnd = _ArenaChunk.start(of: newest) + (_carve.load(ordering: .acquiring) - newest.pointee.base)
            return _ArenaChunk.liveRegion(holding: address, size: size, newest: newest, newestEnd: newestEnd) != nil
        }
    }

    /// Allocates and initializes a `T`; a non-trivial `T` is deinitialized when its memory is
    /// reclaimed (reset, restore, scope end, or the arena's deinit), newest first.
    ///
    /// - Parameter value: the value to store.
    /// - Returns: the memory holding `value`.
    /// - Throws: as ``allocate(_:)``.
    @inlinable
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        if _isPOD(T.self) {
            let pointer = try allocate(Layout.of(T.self)).bindMemory(to: T.self, capacity: 1)
            pointer.initialize(to: value)
            return pointer
        }
        let block = _DropList.blockLayout(for: T.self)
        let raw = try allocate(block.layout)
        let pointer = (raw + block.valueOffset).bindMemory(to: T.self, capacity: 1)
        pointer.initialize(to: value)
        _pushRecord(type: T.self, block: raw, valueOffset: block.valueOffset)
        return pointer
    }

    /// Writes a record for the value at `block + valueOffset` and links it in lock-free.
    @usableFromInline
    func _pushRecord(type: Any.Type, block: UnsafeMutableRawPointer, valueOffset: Int) {
        let value = block + valueOffset
        let record = block.bindMemory(to: _DropRecord.self, capacity: 1)
        var head = _dropHead.load(ordering: .acquiring)
        record.initialize(
            to: _DropRecord(
                previous: UnsafeMutablePointer(bitPattern: head), type: type, value: value,
                check: UInt(bitPattern: value) ^ _dropKey))
        while true {
            let (exchanged, original) = _dropHead.compareExchange(
                expected: head, desired: Int(bitPattern: record), ordering: .acquiringAndReleasing)
            if exchanged { return }
            head = original
            record.pointee.previous = UnsafeMutablePointer(bitPattern: head)
        }
    }
}
