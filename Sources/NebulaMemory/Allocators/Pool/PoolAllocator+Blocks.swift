extension PoolAllocator {
    /// Hands out one free block of ``blockSize`` bytes aligned to ``blockAlignment``.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when every block is in use and the pool may not grow
    ///   (or growth found the system out of memory); the pool is unchanged.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
    public func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        // The most recently freed block first: still marked live, never checked or filled.
        let hot = state.pointee.hot
        if hot != _FreeLink.end {
            state.pointee.hot = _FreeLink.end
            return UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: hot)).unsafelyUnwrapped
        }
        let block: Int
        let link = state.pointee.freeHead
        if link != _FreeLink.end {
            // Unaligned for strides that are not multiples of 8; full speed on x86 and arm64.
            state.pointee.freeHead = UnsafeRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
                .loadUnaligned(as: UInt64.self)
            if link &>> 56 == 0 {
                // The first slab of a power-of-two stride, or no validation: the link is the address.
                block = Int(truncatingIfNeeded: link)
                if let live0 = state.pointee.live0 {
                    live0[(block &- state.pointee.base0) &>> state.pointee.indexer.shift] = state.pointee.generation
                }
            } else {
                block = _markLive(link)
            }
        } else if state.pointee.untouched < state.pointee.untouchedEnd {
            block = state.pointee.untouched
            state.pointee.untouched = block &+ state.pointee.stride
            if let live = state.pointee.untouchedLive {
                live.pointee = state.pointee.generation
                state.pointee.untouchedLive = live + 1
            }
        } else {
            return try _allocateBlockSlow()
        }
        state.pointee.taken &+= 1
        let pointer = UnsafeMutableRawPointer(bitPattern: block).unsafelyUnwrapped
        if state.pointee.checked { _prepare(pointer) }
        return pointer
    }

    /// Marks the block of a link that carries its slab live; returns its address.
    @usableFromInline
    @inline(never)
    func _markLive(_ link: UInt64) -> Int {
        let state = _state
        let block = _FreeLink.address(link)
        let slab = _FreeLink.slab(link) &- 1
        let offset = block &- state.pointee.slabs[slab].start
        state.pointee.slabs[slab].live.unsafelyUnwrapped[state.pointee.indexer.index(ofBlockAt: offset)] =
            state.pointee.generation
        return block
    }

    /// Debug fill and the canary (hardened) of a block just handed out.
    @usableFromInline
    @inline(never)
    func _prepare(_ pointer: UnsafeMutableRawPointer) {
        if _state.pointee.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: blockSize) }
        if _state.pointee.hardened {
            _Canary.write(at: Int(bitPattern: pointer) + blockSize, key: _state.pointee.canaryKey)
        }
    }

    /// Continues with a later slab after a reset, or grows; else throws.
    @usableFromInline
    @inline(never)
    func _allocateBlockSlow() throws(AllocError) -> UnsafeMutableRawPointer {
        let state = _state
        if !state.pointee.advanceUntouched() {
            let blocks = _PoolGeometry.growthBlocks(
                current: state.pointee.blockCount, maximum: state.pointee.maxBlockCount, stride: state.pointee.stride)
            guard blocks > 0, state.pointee.addSlab(blocks: blocks) else {
                if state.pointee.trackStatistics { state.pointee.failedAllocations += 1 }
                throw exhausted(nil)
            }
        }
        return try allocateBlock()
    }

    /// Returns a block to the pool.
    ///
    /// - Throws: with pointer validation (the default), `ALLOC_INVALID_POINTER` for a pointer
    ///   that is not the start of one of this pool's blocks, and `ALLOC_DOUBLE_FREE` for a
    ///   block that is already free; in hardened mode `ALLOC_INVALID_STATE` ("heap corruption
    ///   detected") for a block whose canary is damaged. The pool is then unchanged. Without
    ///   validation no check is made, and such a pointer corrupts the pool.
    /// - Complexity: O(1).
    @inlinable
    @inline(__always)
    public func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let state = _state
        let address = Int(bitPattern: pointer)
        if _fastPath(state.pointee.freePath == .validated) {
            // Rotating the offset right by log2(stride) gives the block index of a block start
            // and a huge number for anything else: one comparison checks range and alignment.
            let offset = UInt(bitPattern: address &- state.pointee.base0)
            let shift = UInt(truncatingIfNeeded: state.pointee.indexer.shift)
            let index = Int(bitPattern: offset &>> shift | offset &<< (UInt(Int.bitWidth) &- shift))
            // The common case — a live block of the first slab, and no hot block to demote —
            // folded into one word tested once. An index out of range reads the map's sentinel
            // byte past its last block, which is 0 and never the generation.
            let clamped = Swift.min(UInt(bitPattern: index), UInt(bitPattern: state.pointee.blockCount0))
            let live = state.pointee.live0.unsafelyUnwrapped[Int(bitPattern: clamped)]
            let mismatch =
                Int(truncatingIfNeeded: live ^ state.pointee.generation) | Int(truncatingIfNeeded: state.pointee.hot)
            guard _fastPath(mismatch == 0) else { return try _deallocateValidated(pointer, index: index) }
            state.pointee.hot = UInt64(truncatingIfNeeded: address)
            state.pointee.frees &+= 1
            return
        } else if state.pointee.freePath == .checked {
            return try _deallocateChecked(pointer)
        }
        let previous = state.pointee.hot
        if previous != _FreeLink.end { try _demoteHot(previous, for: pointer) }
        state.pointee.hot = UInt64(truncatingIfNeeded: address)
        state.pointee.frees &+= 1
    }

    /// The validated free of a pointer that is not a live first-slab block, or while a hot
    /// block waits to be demoted; `index` is the rotated offset of the fast path.
    @usableFromInline
    @inline(never)
    func _deallocateValidated(_ pointer: UnsafeMutableRawPointer, index: Int) throws(AllocError) {
        let state = _state
        guard UInt(bitPattern: index) < UInt(bitPattern: state.pointee.blockCount0) else {
            return try _deallocateChecked(pointer)
        }
        guard state.pointee.live0.unsafelyUnwrapped[index] == state.pointee.generation else {
            throw _doubleFree(pointer, index: index)
        }
        let previous = state.pointee.hot
        if previous != _FreeLink.end { try _demoteHot(previous, for: pointer) }
        state.pointee.hot = UInt64(UInt(bitPattern: pointer))
        state.pointee.frees &+= 1
    }

    /// Moves the hot block to the free list, marking it free, before `pointer` takes its place;
    /// throws when `pointer` is the hot block itself (freed twice). Nothing changes then.
    @usableFromInline
    @inline(never)
    func _demoteHot(_ hot: UInt64, for pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let state = _state
        let address = _FreeLink.address(hot)
        if let live0 = state.pointee.live0 {
            let index = (address &- state.pointee.base0) &>> state.pointee.indexer.shift
            guard address != Int(bitPattern: pointer) else { throw _doubleFree(pointer, index: index) }
            live0[index] = 0
        } else if address == Int(bitPattern: pointer) {
            throw _doubleFree(pointer, index: (address &- state.pointee.base0) / state.pointee.stride)
        }
        _push(hot)
    }

    /// `deallocateBlock` with every check: later slabs, odd strides, canaries, debug fill.
    @usableFromInline
    @inline(never)
    func _deallocateChecked(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let state = _state
        let address = Int(bitPattern: pointer)
        var link = UInt64(truncatingIfNeeded: address)
        if state.pointee.validate {
            let (slab, index) = try _locateBlock(pointer)
            let live = state.pointee.slabs[slab].live.unsafelyUnwrapped
            guard live[index] == state.pointee.generation else { throw _doubleFree(pointer, index: index) }
            if state.pointee.hardened { try _checkCanary(slab: slab, index: index) }
            live[index] = 0
            link = state.pointee.link(address: address, slab: slab)
        }
        if state.pointee.debugFill { _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: blockSize) }
        _push(link)
        state.pointee.frees &+= 1
    }

    /// The slab and index of the block starting at `pointer`.
    ///
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer outside the pool's memory or not at the
    ///   start of a block.
    @usableFromInline
    func _locateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> (slab: Int, index: Int) {
        let state = _state
        let address = Int(bitPattern: pointer)
        guard let slab = state.pointee.slab(containing: address) else {
            throw _invalidBlock(pointer, reason: "is not inside this pool's memory")
        }
        guard let index = state.pointee.indexer.index(ofOffset: address &- state.pointee.slabs[slab].start) else {
            throw _invalidBlock(pointer, reason: "is not at the start of a block")
        }
        return (slab, index)
    }

    /// Puts a free block on the free list.
    @usableFromInline
    func _push(_ link: UInt64) {
        let state = _state
        UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped.storeBytes(
            of: state.pointee.freeHead, as: UInt64.self)
        state.pointee.freeHead = link
        state.pointee.returned &+= 1
    }

    /// Hands out a block for a layout that fits one.
    ///
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `layout` is larger than ``blockSize`` or more
    ///   aligned than ``blockAlignment``; else as ``allocateBlock()``.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            throw _layoutDoesNotFit(layout, failed: true)
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
            throw _layoutDoesNotFit(layout, failed: false)
        }
        try deallocateBlock(pointer)
    }

    @usableFromInline
    func exhausted(_ layout: Layout?) -> AllocError {
        let s = _state.pointee
        return AllocError.poolExhausted(
            "all \(s.blockCount) blocks of the pool are in use", blockSize: blockSize, blockAlignment: blockAlignment,
            blockCount: s.blockCount, usedBlocks: s.inUse, maxBlockCount: s.maxBlockCount, layout: layout)
    }

    @usableFromInline
    @inline(never)
    func _invalidBlock(_ pointer: UnsafeMutableRawPointer, reason: String) -> AllocError {
        withState(
            AllocError.invalidBlock(pointer, reason: reason, blockSize: blockSize, blockAlignment: blockAlignment))
    }

    @usableFromInline
    @inline(never)
    func _doubleFree(_ pointer: UnsafeMutableRawPointer, index: Int) -> AllocError {
        withState(AllocError.doubleFreeBlock(pointer, index: index))
    }

    @usableFromInline
    @inline(never)
    func _layoutDoesNotFit(_ layout: Layout, failed: Bool) -> AllocError {
        if failed, _state.pointee.trackStatistics { _state.pointee.failedAllocations += 1 }
        return withState(
            AllocError.layoutDoesNotFitBlock(layout, blockSize: blockSize, blockAlignment: blockAlignment))
    }

    private func withState(_ error: AllocError) -> AllocError {
        var error = error
        let s = _state.pointee
        error.capacity = s.blockCount * blockSize
        error.used = s.inUse * blockSize
        error.available = (s.blockCount - s.inUse) * blockSize
        return error
    }
}
