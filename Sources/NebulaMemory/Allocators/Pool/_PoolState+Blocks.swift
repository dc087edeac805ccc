extension _PoolState {
    @inlinable
    @inline(__always)
    mutating func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer {
        // The most recently freed block first: still marked live, never checked or filled.
        let freed = hot
        if freed != _FreeLink.end {
            hot = _FreeLink.end
            return UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: freed)).unsafelyUnwrapped
        }
        let block: Int
        let link = freeHead
        if link != _FreeLink.end {
            // Unaligned for strides that are not multiples of 8; full speed on x86 and arm64.
            freeHead = UnsafeRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
                .loadUnaligned(as: UInt64.self)
            if link &>> 56 == 0 {
                // The first slab of a power-of-two stride, or no validation: the link is the address.
                block = Int(truncatingIfNeeded: link)
                if let live0 { live0[(block &- base0) &>> indexer.shift] = generation }
            } else {
                block = markLive(link)
            }
        } else if untouched < untouchedEnd {
            block = untouched
            untouched = block &+ stride
            if let live = untouchedLive {
                live.pointee = generation
                untouchedLive = live + 1
            }
        } else {
            return try allocateBlockSlow()
        }
        taken &+= 1
        let pointer = UnsafeMutableRawPointer(bitPattern: block).unsafelyUnwrapped
        if preparesBlocks { prepare(pointer) }
        return pointer
    }

    /// Marks the block of a slab link live and returns its address.
    @usableFromInline
    @inline(never)
    mutating func markLive(_ link: UInt64) -> Int {
        let block = _FreeLink.address(link)
        let slab = _FreeLink.slab(link) &- 1
        slabs[slab].live.unsafelyUnwrapped[indexer.index(ofBlockAt: block &- slabs[slab].start)] = generation
        return block
    }

    /// Fills a fresh block (debug) and writes its canary (hardened).
    @usableFromInline
    @inline(never)
    mutating func prepare(_ pointer: UnsafeMutableRawPointer) {
        if debugFill { _RawMemory.fill(pointer, byte: _FillPattern.fresh, count: blockSize) }
        if hardened { _Canary.write(at: Int(bitPattern: pointer) + blockSize, key: canaryKey) }
    }

    /// Moves on to the next slab's untouched blocks, or grows the pool, then allocates.
    @usableFromInline
    @inline(never)
    mutating func allocateBlockSlow() throws(AllocError) -> UnsafeMutableRawPointer {
        if !advanceUntouched() {
            let blocks = _PoolGeometry.growthBlocks(current: blockCount, maximum: maxBlockCount, stride: stride)
            guard blocks > 0, addSlab(blocks: blocks) else {
                if trackStatistics { failedAllocations += 1 }
                throw exhausted(nil)
            }
        }
        return try allocateBlock()
    }

    @inlinable
    @inline(__always)
    mutating func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        if _fastPath(freePath == .validated) {
            // Rotating the offset right by log2(stride) gives the block index of a block start
            // and a huge number for anything else: one comparison checks range and alignment.
            let offset = UInt(bitPattern: address &- base0)
            let shift = UInt(truncatingIfNeeded: indexer.shift)
            let index = Int(bitPattern: offset &>> shift | offset &<< (UInt(Int.bitWidth) &- shift))
            // The common case — a live block of the first slab, and no hot block to demote —
            // folded into one word tested once. An index out of range reads the map's sentinel
            // byte past its last block, which is 0 and never the generation.
            let clamped = Swift.min(UInt(bitPattern: index), UInt(bitPattern: blockCount0))
            let live = live0.unsafelyUnwrapped[Int(bitPattern: clamped)]
            let mismatch = Int(truncatingIfNeeded: live ^ generation) | Int(truncatingIfNeeded: hot)
            guard _fastPath(mismatch == 0) else { return try deallocateValidated(pointer, index: index) }
            hot = UInt64(truncatingIfNeeded: address)
            frees &+= 1
            return
        } else if freePath == .checked {
            return try deallocateChecked(pointer)
        }
        let previous = hot
        if previous != _FreeLink.end { try demoteHot(previous, for: pointer) }
        hot = UInt64(truncatingIfNeeded: address)
        frees &+= 1
    }

    /// A validated free the inline test did not settle: a block outside the first slab's
    /// range, a block not live (a double free), or a hot block to demote first.
    @usableFromInline
    @inline(never)
    mutating func deallocateValidated(_ pointer: UnsafeMutableRawPointer, index: Int) throws(AllocError) {
        guard UInt(bitPattern: index) < UInt(bitPattern: blockCount0) else {
            return try deallocateChecked(pointer)
        }
        guard live0.unsafelyUnwrapped[index] == generation else {
            throw doubleFree(pointer, index: index)
        }
        let previous = hot
        if previous != _FreeLink.end { try demoteHot(previous, for: pointer) }
        hot = UInt64(UInt(bitPattern: pointer))
        frees &+= 1
    }

    /// Puts the hot block on the free list (clearing its live byte) to make room for
    /// `pointer`; a free of the hot block itself is a double free.
    @usableFromInline
    @inline(never)
    mutating func demoteHot(_ hot: UInt64, for pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let address = _FreeLink.address(hot)
        if let live0 {
            let index = (address &- base0) &>> indexer.shift
            guard address != Int(bitPattern: pointer) else { throw doubleFree(pointer, index: index) }
            live0[index] = 0
        } else if address == Int(bitPattern: pointer) {
            throw doubleFree(pointer, index: (address &- base0) / stride)
        }
        push(hot)
    }

    /// A free with the full checks (any slab, canary, debug fill), straight to the free list.
    @usableFromInline
    @inline(never)
    mutating func deallocateChecked(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        let address = Int(bitPattern: pointer)
        var link = UInt64(truncatingIfNeeded: address)
        if validate {
            let (slab, index) = try locateBlock(pointer)
            let live = slabs[slab].live.unsafelyUnwrapped
            guard live[index] == generation else { throw doubleFree(pointer, index: index) }
            if hardened { try checkCanary(slab: slab, index: index) }
            live[index] = 0
            link = self.link(address: address, slab: slab)
        }
        if debugFill { _RawMemory.fill(pointer, byte: _FillPattern.reclaimed, count: blockSize) }
        push(link)
        frees &+= 1
    }

    /// The slab and block index of `pointer`, which must be the start of a block of this pool.
    @usableFromInline
    mutating func locateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) -> (slab: Int, index: Int) {
        let address = Int(bitPattern: pointer)
        guard let slab = slab(containing: address) else {
            throw invalidBlock(pointer, reason: "is not inside this pool's memory")
        }
        guard let index = indexer.index(ofOffset: address &- slabs[slab].start) else {
            throw invalidBlock(pointer, reason: "is not at the start of a block")
        }
        return (slab, index)
    }

    /// Pushes a block's link on the free list, storing the old head in the block.
    @usableFromInline
    mutating func push(_ link: UInt64) {
        UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped.storeBytes(
            of: freeHead, as: UInt64.self)
        freeHead = link
        returned &+= 1
    }

    /// Checks that `pointer` is a live block before a resize keeps it (validated pools).
    mutating func validateLive(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        guard validate else { return }
        let (slab, index) = try locateBlock(pointer)
        // The hot block keeps its live mark while it waits to be taken again: free all the same.
        guard slabs[slab].live.unsafelyUnwrapped[index] == generation, hot != UInt64(UInt(bitPattern: pointer))
        else {
            throw invalidBlock(pointer, reason: "is a free block")
        }
        if hardened { try checkCanary(slab: slab, index: index) }
    }

    /// Frees every block at once: a new generation, every block untouched again.
    @usableFromInline
    mutating func reset() {
        nextGeneration()
        if debugFill {
            for i in 0..<slabCount {
                _RawMemory.fill(
                    UnsafeMutableRawPointer(bitPattern: slabs[i].start)!, byte: _FillPattern.reclaimed,
                    count: slabs[i].end - slabs[i].start)
            }
        }
        peakBeforeReset = peakInUse()
        releasedByReset &+= inUse
        hot = _FreeLink.end
        freeHead = _FreeLink.end
        rewindUntouched()
        taken = 0
        returned = 0
        resets &+= 1
    }
}
