import Synchronization

extension ConcurrentPoolAllocator {
    /// Hands out one free block of ``blockSize`` bytes aligned to ``blockAlignment``; safe
    /// from any thread.
    ///
    /// - Returns: the start of the block, uninitialized.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when no block is left in the depot or untouched and the
    ///   pool may not grow (or growth found the system out of memory); the pool is unchanged.
    /// - Complexity: O(1); lock-free while the thread's cache has a block. The allocation that
    ///   grows the pool also clears the new slab's live map with pointer validation, in O(its
    ///   blocks).
    @inlinable
    @inline(__always)
    public func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer {
        try _allocateBlock(size: blockSize)
    }

    /// A block for a request of `size` bytes, counted in the thread's size classes.
    @inlinable
    @inline(__always)
    func _allocateBlock(size: Int) throws(AllocError) -> UnsafeMutableRawPointer {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_alwaysSlow {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            if cache.pointee.epoch == _epoch.load(ordering: .relaxed) {
                let link: UInt64
                if cache.pointee.count > 0 {
                    cache.pointee.count &-= 1
                    link = cache.pointee.loaded.unsafelyUnwrapped[cache.pointee.count]
                } else if cache.pointee.rangeNext < cache.pointee.rangeEnd {
                    link = cache.pointee.rangeNext
                    cache.pointee.rangeNext = link &+ UInt64(truncatingIfNeeded: _geometry.stride)
                } else {
                    return try _allocateBlockSlow(size: size)
                }
                if _validate { _markLive(link) }
                cache.pointee.allocations.ownerIncrement()
                if let counters = _counters { counters.row(index).recordSize(size) }
                return UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
            }
        }
        return try _allocateBlockSlow(size: size)
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
    func _allocateBlockSlow(size: Int) throws(AllocError) -> UnsafeMutableRawPointer {
        let index = _ThreadSlot.current
        let link: UInt64
        if index < _ThreadSlot.count, _magazineCapacity > 0,
            case let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self), _claim(cache)
        {
            if cache.pointee.count == 0, cache.pointee.rangeNext == cache.pointee.rangeEnd {
                try _refill(cache, stripe: index)
            }
            if cache.pointee.count > 0 {
                cache.pointee.count -= 1
                link = cache.pointee.loaded.unsafelyUnwrapped[cache.pointee.count]
            } else {
                link = cache.pointee.rangeNext
                cache.pointee.rangeNext += UInt64(_geometry.stride)
            }
            cache.pointee.allocations.ownerIncrement()
            _counters?.row(index).recordSize(size)
        } else {
            link = try _takeOne(stripe: index)
            _sharedAllocations.add(1, ordering: .relaxed)
            _counters?.shared.recordSizeShared(size)
        }
        if _validate { _markLive(link) }
        let pointer = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link))!
        if configuration.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: blockSize) }
        if configuration.hardened { _Canary.write(at: Int(bitPattern: pointer) + blockSize, key: _canaryKey) }
        return pointer
    }

    /// Returns a block to the pool; safe from any thread, also one that did not allocate it.
    ///
    /// - Parameter pointer: a block this pool handed out.
    /// - Throws: with pointer validation (the default), `ALLOC_INVALID_POINTER` for a pointer
    ///   that is not the start of one of this pool's blocks, and `ALLOC_DOUBLE_FREE` for a block
    ///   that is already free (of two threads freeing one block at once, one gets this error);
    ///   in hardened mode `ALLOC_INVALID_STATE` ("heap corruption detected") for a block whose
    ///   canary is damaged. The pool is then unchanged. Without validation nothing is checked.
    /// - Complexity: O(1); lock-free while the thread's cache has room. O(slabs) with
    ///   validation to find the slab of a block outside the first.
    @inlinable
    @inline(__always)
    public func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        var link = UInt64(truncatingIfNeeded: address)
        if _validate {
            link = try _release(pointer)
        }
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, !_alwaysSlow {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            if cache.pointee.count < _magazineCapacity, cache.pointee.epoch == _epoch.load(ordering: .relaxed) {
                cache.pointee.loaded.unsafelyUnwrapped[cache.pointee.count] = link
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
        if UInt(bitPattern: offset) < UInt(bitPattern: first.end &- first.start), _inlineRelease,
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

    /// `_release` for later slabs, strides that are not powers of two, and canaries.
    @usableFromInline
    @inline(never)
    func _releaseChecked(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> UInt64 {
        let (slabIndex, index) = try _locateBlock(pointer)
        let slab = _slabs[slabIndex]
        if configuration.hardened {
            // Checked while the block is still live, so that a damaged one stays so.
            guard _isLive(slab, index: index) else { throw _doubleFree(pointer, index: index) }
            try _checkCanary(slab: slabIndex, index: index)
        }
        try _markFree(slab, index: index, pointer)
        return _FreeLink.make(address: Int(bitPattern: pointer), slab: slabIndex)
    }

    /// The slab and index of the block starting at `pointer`.
    ///
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer outside the pool's memory or not at the
    ///   start of a block.
    func _locateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> (slab: Int, index: Int) {
        let address = Int(bitPattern: pointer)
        for slabIndex in 0..<_slabCount.load(ordering: .acquiring) {
            let slab = _slabs[slabIndex]
            guard address >= slab.start, address < slab.end else { continue }
            guard let index = _indexer.index(ofOffset: address &- slab.start) else {
                throw _invalidBlock(pointer, reason: "is not at the start of a block")
            }
            return (slabIndex, index)
        }
        throw _invalidBlock(pointer, reason: "is not inside this pool's memory")
    }

    /// Whether block `index` of `slab` is handed out.
    func _isLive(_ slab: _ConcurrentSlab, index: Int) -> Bool {
        slab.live.unsafelyUnwrapped[index].load(ordering: .acquiring) == _generation.load(ordering: .relaxed)
    }

    /// A full or void cache, a thread without a slot, or debug fill.
    @usableFromInline
    @inline(never)
    func _deallocateBlockSlow(_ link: UInt64) {
        let pointer = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link))!
        if configuration.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: blockSize) }
        let index = _ThreadSlot.current
        guard index < _ThreadSlot.count, _magazineCapacity > 0,
            case let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self), _claim(cache),
            cache.pointee.count < _magazineCapacity || _makeRoom(in: cache, stripe: index)
        else {
            _giveLoose(link, toStripe: index)
            _sharedDeallocations.add(1, ordering: .relaxed)
            return
        }
        cache.pointee.loaded.unsafelyUnwrapped[cache.pointee.count] = link
        cache.pointee.count += 1
        cache.pointee.deallocations.ownerIncrement()
    }

    /// Hands out a block for a layout that fits one.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of a whole block, uninitialized.
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `layout` is larger than ``blockSize`` or more
    ///   aligned than ``blockAlignment``; else as ``allocateBlock()``.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            throw _noteFailure(_layoutDoesNotFit(layout))
        }
        return try _allocateBlock(size: layout.size)
    }

    /// Returns a block handed out by ``allocate(_:)``.
    ///
    /// - Parameters:
    ///   - pointer: a block handed out by ``allocate(_:)``.
    ///   - layout: the layout `pointer` was allocated with.
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
            notes: ["up to \(2 * _magazineCapacity) free blocks per thread may sit in other threads' caches"])
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
