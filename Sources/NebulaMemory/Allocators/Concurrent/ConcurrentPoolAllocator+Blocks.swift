import Synchronization

extension ConcurrentPoolAllocator {
    /// Hands out one free block of ``blockSize`` bytes aligned to ``blockAlignment``; safe
    /// from any thread.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when no block is left in the depot or untouched and the
    ///   pool may not grow; the pool is unchanged.
    /// - Complexity: O(1); lock-free while the thread's cache has a block.
    @inlinable
    @inline(__always)
    public func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_checked {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            if cache.pointee.epoch == _epoch.load(ordering: .relaxed) {
                let link: UInt64
                if cache.pointee.count > 0 {
                    link = cache.pointee.head
                    cache.pointee.head = UnsafeRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
                        .loadUnaligned(as: UInt64.self)
                    cache.pointee.count &-= 1
                } else if cache.pointee.rangeNext < cache.pointee.rangeEnd {
                    let block = cache.pointee.rangeNext
                    cache.pointee.rangeNext = block &+ _geometry.stride
                    link = _FreeLink.make(address: block, slab: cache.pointee.rangeSlab)
                } else {
                    return try _allocateBlockSlow()
                }
                if _validate { _markLive(link) }
                cache.pointee.allocations.ownerIncrement()
                return UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
            }
        }
        return try _allocateBlockSlow()
    }

    @inlinable
    func _markLive(_ link: UInt64) {
        let slab = _slabs[_FreeLink.slab(link)]
        slab.live.unsafelyUnwrapped[_indexer.index(ofBlockAt: _FreeLink.address(link) &- slab.start)].store(
            _generation.load(ordering: .relaxed), ordering: .relaxed)
    }

    /// Refills the thread's cache, or takes one block for a thread without a cache.
    @usableFromInline
    @inline(never)
    func _allocateBlockSlow() throws(AllocError) -> UnsafeMutableRawPointer {
        let index = _ThreadSlot.current
        let link: UInt64
        if index < _ThreadSlot.count, _cacheLimit > 0 {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            _claim(cache)
            if cache.pointee.count == 0, cache.pointee.rangeNext == cache.pointee.rangeEnd {
                try _refill(cache, stripe: index)
            }
            if cache.pointee.count > 0 {
                link = cache.pointee.head
                cache.pointee.head = UnsafeRawPointer(bitPattern: _FreeLink.address(link))!.loadUnaligned(
                    as: UInt64.self)
                cache.pointee.count -= 1
            } else {
                link = _FreeLink.make(address: cache.pointee.rangeNext, slab: cache.pointee.rangeSlab)
                cache.pointee.rangeNext += _geometry.stride
            }
            cache.pointee.allocations.ownerIncrement()
        } else {
            link = try _takeOne(stripe: index)
            _sharedAllocations.add(1, ordering: .relaxed)
        }
        if _validate { _markLive(link) }
        let pointer = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link))!
        if configuration.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: blockSize) }
        return pointer
    }

    /// Makes the thread's cache current: a cache of an epoch before the last reset is void.
    private func _claim(_ cache: UnsafeMutablePointer<_PoolThreadCache>) {
        let epoch = _epoch.load(ordering: .acquiring)
        if cache.pointee.epoch != epoch {
            cache.pointee.head = _FreeLink.end
            cache.pointee.count = 0
            cache.pointee.rangeNext = 0
            cache.pointee.rangeEnd = 0
            cache.pointee.epoch = epoch
        }
    }

    /// Fills an empty cache: half a cache of freed blocks from the thread's stripe, else a run
    /// of untouched blocks, else freed blocks from another stripe, else a new slab.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when there is none; the pool is then unchanged.
    private func _refill(_ cache: UnsafeMutablePointer<_PoolThreadCache>, stripe: Int) throws(AllocError) {
        let wanted = Swift.max(1, _cacheLimit / 2)
        while true {
            for offset in 0..<Self.stripeCount {
                // The thread's own stripe first; untouched blocks before borrowing from others.
                if offset == 1, let run = _takeUntouchedRun(_cacheLimit) {
                    cache.pointee.rangeNext = run.start
                    cache.pointee.rangeEnd = run.start + run.count * _geometry.stride
                    cache.pointee.rangeSlab = run.slab
                    _noteOut(run.count)
                    return
                }
                let taken = _take(wanted, fromStripe: stripe &+ offset)
                if taken.count > 0 {
                    cache.pointee.head = taken.head
                    cache.pointee.count = taken.count
                    _noteOut(taken.count)
                    return
                }
            }
            guard _grow() else { throw _failed() }
        }
    }

    /// One block, for a thread without a cache.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when there is none; the pool is then unchanged.
    private func _takeOne(stripe: Int) throws(AllocError) -> UInt64 {
        while true {
            if let run = _takeUntouchedRun(1) {
                _noteOut(1)
                return _FreeLink.make(address: run.start, slab: run.slab)
            }
            for offset in 0..<Self.stripeCount {
                let taken = _take(1, fromStripe: stripe &+ offset)
                if taken.count > 0 {
                    _noteOut(1)
                    return taken.head
                }
            }
            guard _grow() else { throw _failed() }
        }
    }

    /// Up to `wanted` blocks from a stripe, linked as a list ending in `_FreeLink.end`: a whole
    /// batch when one is wanted and there, else loose blocks (breaking up a batch when none
    /// is loose).
    private func _take(_ wanted: Int, fromStripe index: Int) -> (head: UInt64, count: Int) {
        _stripe(index).pointee.withLock { stripe in
            if stripe.batches != _FreeLink.end, stripe.head == _FreeLink.end || wanted == _batchSize {
                let batch = stripe.batches
                stripe.batches = UnsafeRawPointer(bitPattern: _FreeLink.address(batch))!.loadUnaligned(
                    fromByteOffset: 8, as: UInt64.self)
                if wanted == _batchSize {
                    stripe.count -= _batchSize
                    return (batch, _batchSize)
                }
                stripe.head = batch
            }
            guard stripe.head != _FreeLink.end else { return (_FreeLink.end, 0) }
            let head = stripe.head
            var tail = head
            var count = 1
            while count < wanted {
                let next = UnsafeRawPointer(bitPattern: _FreeLink.address(tail))!.loadUnaligned(as: UInt64.self)
                if next == _FreeLink.end { break }
                tail = next
                count += 1
            }
            let tailBlock = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(tail))!
            stripe.head = tailBlock.loadUnaligned(as: UInt64.self)
            tailBlock.storeBytes(of: _FreeLink.end, as: UInt64.self)
            stripe.count -= count
            return (head, count)
        }
    }

    /// Up to `wanted` consecutive untouched blocks of one slab, with one compare-and-exchange
    /// on the untouched cursor; nil when every slab is used up.
    private func _takeUntouchedRun(_ wanted: Int) -> (start: Int, count: Int, slab: Int)? {
        var word = _untouched.load(ordering: .acquiring)
        while true {
            let slabIndex = word >> 32
            let blockIndex = word & 0xFFFF_FFFF
            guard slabIndex < _slabCount.load(ordering: .acquiring) else { return nil }
            let slab = _slabs[slabIndex]
            let left = slab.blockCount - blockIndex
            let desired = left > 0 ? word + Swift.min(Swift.max(1, wanted), left) : (slabIndex + 1) << 32
            let (exchanged, original) = _untouched.compareExchange(
                expected: word, desired: desired, ordering: .acquiringAndReleasing)
            if !exchanged {
                word = original
                continue
            }
            if left > 0 {
                return (slab.start + blockIndex * _geometry.stride, desired - word, slabIndex)
            }
            word = desired
        }
    }

    /// Adds a slab when the pool may grow and is still out of untouched blocks.
    private func _grow() -> Bool {
        _growth.withLock { _ in
            let word = _untouched.load(ordering: .acquiring)
            let slabCount = _slabCount.load(ordering: .acquiring)
            if word >> 32 < slabCount, word & 0xFFFF_FFFF < _slabs[word >> 32].blockCount { return true }
            let blocks = _geometry.growthBlocks(current: _blockCount.load(ordering: .acquiring))
            guard blocks > 0, _addSlab(blocks: blocks) else { return false }
            _untouched.store(slabCount << 32, ordering: .releasing)
            return true
        }
    }

    private func _noteOut(_ count: Int) {
        let out = _out.add(count, ordering: .relaxed).newValue
        var peak = _peakOut.load(ordering: .relaxed)
        while out > peak {
            let (exchanged, original) = _peakOut.compareExchange(expected: peak, desired: out, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
    }

    private func _failed() -> AllocError {
        if configuration.trackStatistics { _failedAllocations.add(1, ordering: .relaxed) }
        return _exhausted()
    }

    /// Returns a block to the pool; safe from any thread, also one that did not allocate it.
    ///
    /// - Throws: with pointer validation (the default), `ALLOC_INVALID_POINTER` for a pointer
    ///   that is not the start of one of this pool's blocks, and `ALLOC_DOUBLE_FREE` for a block
    ///   that is already free (of two threads freeing one block at once, one gets this error);
    ///   the pool is then unchanged. Without validation nothing is checked.
    /// - Complexity: O(1); lock-free while the thread's cache has room.
    @inlinable
    @inline(__always)
    public func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        var link = UInt64(truncatingIfNeeded: address)
        if _validate {
            link = try _release(pointer)
        }
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_checked {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            if cache.pointee.count < _cacheLimit, cache.pointee.epoch == _epoch.load(ordering: .relaxed) {
                pointer.storeBytes(of: cache.pointee.head, as: UInt64.self)
                cache.pointee.head = link
                cache.pointee.count &+= 1
                cache.pointee.deallocations.ownerIncrement()
                return
            }
        }
        _deallocateBlockSlow(link)
    }

    /// Checks that `pointer` is a live block of this pool and marks it free, atomically.
    /// Returns its free-list link.
    @inlinable
    @inline(__always)
    func _release(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> UInt64 {
        // The first slab, written before the pool was shared, inline; the rest apart.
        let address = Int(bitPattern: pointer)
        let first = _slabs.pointee
        let offset = address &- first.start
        if UInt(bitPattern: offset) < UInt(bitPattern: first.end &- first.start), _indexer.shift >= 0,
            offset & (_indexer.stride &- 1) == 0
        {
            try _markFree(first, index: offset &>> _indexer.shift, pointer)
            return UInt64(truncatingIfNeeded: address)
        }
        return try _releaseChecked(pointer)
    }

    /// Swaps block `index` of `slab` from live to free; of two frees of one block at once,
    /// exactly one gets there, the other gets `ALLOC_DOUBLE_FREE`.
    @inlinable
    @inline(__always)
    func _markFree(_ slab: _ConcurrentSlab, index: Int, _ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let generation = _generation.load(ordering: .relaxed)
        guard slab.live.unsafelyUnwrapped[index].exchange(0, ordering: .acquiringAndReleasing) == generation else {
            throw _doubleFree(pointer, index: index)
        }
    }

    /// `_release` for later slabs and strides that are not powers of two.
    @usableFromInline
    @inline(never)
    func _releaseChecked(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> UInt64 {
        let address = Int(bitPattern: pointer)
        let slabCount = _slabCount.load(ordering: .acquiring)
        var slabIndex = 0
        while slabIndex < slabCount {
            let slab = _slabs[slabIndex]
            if address >= slab.start, address < slab.end {
                guard let index = _indexer.index(ofOffset: address &- slab.start) else {
                    throw _invalidBlock(pointer, reason: "is not at the start of a block")
                }
                try _markFree(slab, index: index, pointer)
                return _FreeLink.make(address: address, slab: slabIndex)
            }
            slabIndex &+= 1
        }
        throw _invalidBlock(pointer, reason: "is not inside this pool's memory")
    }

    /// A full or void cache, a thread without a slot, or debug fill.
    @usableFromInline
    @inline(never)
    func _deallocateBlockSlow(_ link: UInt64) {
        let pointer = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link))!
        if configuration.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: blockSize) }
        let index = _ThreadSlot.current
        guard index < _ThreadSlot.count, _cacheLimit > 0 else {
            _give(head: link, tail: link, count: 1, toStripe: index)
            _sharedDeallocations.add(1, ordering: .relaxed)
            return
        }
        let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
        _claim(cache)
        if cache.pointee.count >= _cacheLimit {
            // Half of the cache goes to the thread's stripe in one locked step.
            let moved = Swift.max(1, _cacheLimit / 2)
            let head = cache.pointee.head
            var tail = head
            for _ in 1..<moved {
                tail = UnsafeRawPointer(bitPattern: _FreeLink.address(tail))!.loadUnaligned(as: UInt64.self)
            }
            cache.pointee.head = UnsafeRawPointer(bitPattern: _FreeLink.address(tail))!.loadUnaligned(as: UInt64.self)
            cache.pointee.count -= moved
            _give(head: head, tail: tail, count: moved, toStripe: index)
        }
        pointer.storeBytes(of: cache.pointee.head, as: UInt64.self)
        cache.pointee.head = link
        cache.pointee.count += 1
        cache.pointee.deallocations.ownerIncrement()
    }

    /// Gives the list `head…tail` of `count` blocks to a stripe: as a batch when it is one,
    /// else in front of its loose blocks.
    private func _give(head: UInt64, tail: UInt64, count: Int, toStripe index: Int) {
        let tailBlock = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(tail))!
        _stripe(index).pointee.withLock { stripe in
            if count == _batchSize {
                tailBlock.storeBytes(of: _FreeLink.end, as: UInt64.self)
                UnsafeMutableRawPointer(bitPattern: _FreeLink.address(head))!.storeBytes(
                    of: stripe.batches, toByteOffset: 8, as: UInt64.self)
                stripe.batches = head
            } else {
                tailBlock.storeBytes(of: stripe.head, as: UInt64.self)
                stripe.head = head
            }
            stripe.count += count
        }
        _out.subtract(count, ordering: .relaxed)
    }

    /// Hands out a block for a layout that fits one.
    ///
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `layout` is larger than ``blockSize`` or more
    ///   aligned than ``blockAlignment``; else as ``allocateBlock()``.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            if configuration.trackStatistics { _failedAllocations.add(1, ordering: .relaxed) }
            throw _layoutDoesNotFit(layout)
        }
        return try allocateBlock()
    }

    /// Returns a block handed out by ``allocate(_:)``.
    ///
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a layout no block could have served; else as
    ///   ``deallocateBlock(_:)``.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            throw _layoutDoesNotFit(layout)
        }
        try deallocateBlock(pointer)
    }

    @usableFromInline
    func _exhausted() -> AllocError {
        AllocError.poolExhausted(
            "no free block is left in the pool's depot", blockSize: blockSize, blockAlignment: blockAlignment,
            blockCount: blockCount, usedBlocks: usedBlockCount, maxBlockCount: _geometry.maxBlockCount,
            notes: ["up to \(_cacheLimit) free blocks per thread may sit in other threads' caches"])
    }

    @usableFromInline
    func _invalidBlock(_ pointer: UnsafeMutableRawPointer, reason: String) -> AllocError {
        AllocError.invalidBlock(pointer, reason: reason, blockSize: blockSize, blockAlignment: blockAlignment)
    }

    @usableFromInline
    func _doubleFree(_ pointer: UnsafeMutableRawPointer, index: Int) -> AllocError {
        AllocError.doubleFreeBlock(pointer, index: index)
    }

    @usableFromInline
    func _layoutDoesNotFit(_ layout: Layout) -> AllocError {
        AllocError.layoutDoesNotFitBlock(layout, blockSize: blockSize, blockAlignment: blockAlignment)
    }
}
