extension _BumpState {
    /// Allocates at `start` and returns true when the request fits the current chunk and
    /// needs no checks; false sends the caller to the slow path. The caller calls that through
    /// a method of its own: a call on the state would keep the state's address in a register
    /// for the whole of the caller's loop.
    @inlinable
    @inline(__always)
    mutating func allocateFast(_ layout: Layout, at address: inout Int) -> Bool {
        let start = _alignUp(cursor, layout.alignment)
        // `fastLimit - start` may be negative after padding (or with debug fill, whose fast
        // limit is 0); the signed comparison then fails.
        if layout.size <= fastLimit &- start {
            cursor = start &+ layout.size
            last = start
            if trackStatistics { counters.unsafelyUnwrapped.recordSize(layout.size) }
            address = start
            return true
        }
        return false
    }

    @usableFromInline
    @inline(__always)
    mutating func allocateSlow(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        // Hardened: the canary after the allocation's bytes takes room too, and the record of
        // the allocation must be sure to fit before anything changes.
        var taken = layout
        if hardened {
            let (size, overflow) = layout.size.addingReportingOverflow(_Canary.size)
            guard !overflow else { throw failed(exhausted(layout)) }
            guard canaries.reserveOne() else {
                throw failed(
                    AllocError.systemOutOfMemory(
                        bytes: MemoryLayout<_CanaryLog.Entry>.stride, allocatorKind: .arena, layout: layout))
            }
            taken = Layout(_uncheckedSize: size, alignment: layout.alignment)
        }
        var start = _alignUp(cursor, taken.alignment)
        if taken.size <= limit - start {
            cursor = start + taken.size
        } else {
            var failure: _ChunkFailure?
            guard let moved = advanceChunk(for: taken, failure: &failure) else {
                throw failed(failure?.error(for: layout, bytes: taken.size) ?? exhausted(layout))
            }
            start = moved
        }
        last = start
        if trackStatistics { counters.unsafelyUnwrapped.recordSize(layout.size) }
        let pointer = UnsafeMutableRawPointer(bitPattern: start)!
        if debugFill {
            _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: layout.size)
        }
        if hardened {
            _Canary.write(at: start + layout.size, key: canaryKey)
            canaries.append(address: start, size: layout.size)
        }
        return pointer
    }

    /// Reclaims the newest allocation and returns true when no checks are needed; false sends
    /// the caller to the slow path (through a method of its own, as for `allocateFast`).
    @inlinable
    @inline(__always)
    mutating func deallocateFast(_ pointer: UnsafeMutableRawPointer, layout: Layout) -> Bool {
        let address = Int(bitPattern: pointer)
        // The alignment is checked here too, so that every configuration rejects the same layouts.
        if address == last, address &+ layout.size == cursor, address & (layout.alignment &- 1) == 0,
            !slowReclaim
        {
            if trackStatistics {
                notePeak()
                deallocations &+= 1
            }
            cursor = address
            last = 0
            return true
        }
        return false
    }

    @usableFromInline
    @inline(__always)
    mutating func deallocateSlow(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        if hardened, address == last, address & (layout.alignment - 1) == 0, canaries.count > 0 {
            // The newest allocation, as the inlined fast path takes it, but with its canary.
            let newest = canaries[canaries.count - 1]
            if newest.address == address, newest.size == layout.size {
                try checkCanaries(canaries.count - 1..<canaries.count)
                notePeak()
                if scrubs { scrub(address, count: cursor - address) }
                canaries.truncate(to: canaries.count - 1)
                cursor = address
                last = 0
                if trackStatistics { deallocations += 1 }
                return
            }
        }
        guard address & (layout.alignment - 1) == 0, let regionStart = liveRegion(holding: address, size: layout.size)
        else {
            throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
        }
        // Where the newest allocation's own bytes end: the cursor, or its canary when hardened.
        var newestEnd = cursor
        if hardened {
            guard let index = canaries.index(containing: address, size: layout.size) else {
                throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
            }
            try checkCanaries(index..<index + 1)
            let entry = canaries[index]
            newestEnd = index == canaries.count - 1 ? entry.address + entry.size : -1
        }
        notePeak()
        var reclaimFrom: Int?
        if address == last, address + layout.size == newestEnd {
            reclaimFrom = address
        }
        if let record = drops.record(of: pointer, alignment: layout.alignment, lowerBound: regionStart) {
            // The caller deinitialized the value, as the Allocator contract asks: never again.
            if record == drops.head, Int(bitPattern: record) == last, address + layout.size == newestEnd {
                drops.forgetNewest()
                reclaimFrom = Int(bitPattern: record)
            } else {
                record.pointee.type = nil
            }
        }
        if let from = reclaimFrom {
            if scrubs { scrub(from, count: cursor - from) }
            if hardened { canaries.truncate(to: canaries.count - 1) }
            cursor = from
            last = 0
        }
        if trackStatistics { deallocations += 1 }
    }

    /// The start of the chunk region holding `[address, address + size)` when that range lies
    /// in memory the arena has handed out, else nil.
    mutating func liveRegion(holding address: Int, size: Int) -> Int? {
        _ArenaChunk.liveRegion(holding: address, size: size, newest: chunk, newestEnd: cursor)
    }

    /// Resizes the newest allocation in place when it can; nil when it cannot (the caller
    /// then validates `pointer` and copies).
    mutating func reallocateInPlace(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout)
        -> UnsafeMutableRawPointer?
    {
        let address = Int(bitPattern: pointer)
        guard address == last, old.size == cursor &- address, !hardened, address & (old.alignment - 1) == 0,
            address & (new.alignment - 1) == 0, new.size <= limit - address
        else { return nil }
        if new.size < old.size {
            if trackStatistics { notePeak() }
            if scrubs { scrub(address + new.size, count: old.size - new.size) }
        } else if debugFill {
            _RawMemory.fill(pointer + old.size, byte: _FillPattern.fresh, count: new.size - old.size)
        }
        cursor = address + new.size
        return pointer
    }

    /// Checks that `pointer` is a live allocation of `layout` before a copying resize: in
    /// the used memory, aligned and, when hardened, logged with an intact canary.
    mutating func validateForCopy(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        guard address & (layout.alignment - 1) == 0, liveRegion(holding: address, size: layout.size) != nil else {
            throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
        }
        if hardened {
            guard let index = canaries.index(containing: address, size: layout.size) else {
                throw AllocError.foreignPointer(pointer, layout: layout, allocatorKind: .arena)
            }
            try checkCanaries(index..<index + 1)
        }
    }

    /// Throws for the first damaged canary among the logged allocations in `range`.
    mutating func checkCanaries(_ range: Range<Int>) throws(AllocError) {
        guard let index = canaries.firstDamaged(in: range, key: canaryKey) else { return }
        let entry = canaries[index]
        throw AllocError.heapCorruption(
            offset: position(of: entry.address), size: entry.size, allocatorKind: .arena,
            capacity: chunks.capacity, used: position, available: available)
    }

    /// The error for a request the arena has no room for.
    mutating func exhausted(_ layout: Layout) -> AllocError {
        AllocError(
            .arenaExhausted, "bump arena has insufficient space", layout: layout, allocatorKind: .arena,
            capacity: chunks.capacity, used: position, available: available,
            suggestion: chunks.maxCapacity > chunks.capacity || chunks.growth != .fixed
                ? "raise the arena's maxCapacity, or reset it per execution"
                : nil)
    }
}
