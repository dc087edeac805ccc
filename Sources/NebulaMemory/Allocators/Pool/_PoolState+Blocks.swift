extension _PoolState {
    /// Takes a block at `address` and returns true in the common cases (the hot block, a
    /// first-slab block from the free list, an untouched block) when it needs no fill or
    /// canary; false sends the caller to the slow path, through a method of its own: a call on
    /// the state would keep the state's address in a register for the whole of the caller's
    /// loop.
    @inlinable
    @inline(__always)
    mutating func allocateBlockFast(at address: inout Int) -> Bool {
        // The most recently freed block first: still marked live, never checked or filled.
        let freed = hot
        if freed != _FreeLink.end {
            hot = _FreeLink.end
            address = Int(truncatingIfNeeded: freed)
            return true
        }
        guard !preparesBlocks else { return false }
        let block: Int
        let link = freeHead
        if link != _FreeLink.end {
            // Links of other slabs carry their slab in the top byte: the slow path marks them.
            guard link &>> 56 == 0 else { return false }
            block = popPlain(link)
        } else if untouched < untouchedEnd {
            block = takeUntouched()
        } else {
            return false
        }
        taken &+= 1
        address = block
        return true
    }

    /// Pops `link`, the free list's head, when it is a plain address (a first-slab block of a
    /// power-of-two stride, or any block without validation), and marks its block live.
    @inlinable
    @inline(__always)
    mutating func popPlain(_ link: UInt64) -> Int {
        // Unaligned for strides that are not multiples of 8; full speed on x86 and arm64.
        freeHead = UnsafeRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
            .loadUnaligned(as: UInt64.self)
        let block = Int(truncatingIfNeeded: link)
        if let live0 { live0[(block &- base0) &>> indexer.shift] = generation }
        return block
    }

    /// Takes the next untouched block and marks it live; the caller has checked that the
    /// current slab has one.
    @inlinable
    @inline(__always)
    mutating func takeUntouched() -> Int {
        let block = untouched
        untouched = block &+ stride
        if let live = untouchedLive {
            live.pointee = generation
            untouchedLive = live + 1
        }
        return block
    }

    /// Takes a block the fast path could not: one from the free list of a later slab (marking
    /// it live), any block when it must be filled or given a canary, or one of a new slab.
    /// The hot block is empty here: the fast path takes it, and no checked free fills it.
    @usableFromInline
    @inline(__always)
    mutating func allocateBlockSlow() throws(AllocError) -> UnsafeMutableRawPointer {
        while true {
            if let block = takeBlock() {
                let pointer = UnsafeMutableRawPointer(bitPattern: block).unsafelyUnwrapped
                if preparesBlocks { prepare(pointer) }
                return pointer
            }
            if !advanceUntouched() {
                let blocks = _PoolGeometry.growthBlocks(current: blockCount, maximum: maxBlockCount, stride: stride)
                guard blocks > 0, addSlab(blocks: blocks) else { throw failed(exhausted(nil)) }
            }
        }
    }

    /// A block from the free list (marked live) or the untouched ones of the current slab;
    /// nil when both are empty.
    mutating func takeBlock() -> Int? {
        let block: Int
        let link = freeHead
        if link != _FreeLink.end {
            block = link &>> 56 == 0 ? popPlain(link) : popMarkingLive(link)
        } else if untouched < untouchedEnd {
            block = takeUntouched()
        } else {
            return nil
        }
        taken &+= 1
        return block
    }

    /// Pops `link`, the free list's head, a link that carries its slab, and marks its block
    /// live.
    mutating func popMarkingLive(_ link: UInt64) -> Int {
        freeHead = UnsafeRawPointer(bitPattern: _FreeLink.address(link)).unsafelyUnwrapped
            .loadUnaligned(as: UInt64.self)
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

    /// Frees `pointer` into the hot slot and returns true in the common case (a validated
    /// live block of the first slab, or any pointer without validation, with the slot empty);
    /// false sends the caller to the slow path.
    @inlinable
    @inline(__always)
    mutating func deallocateBlockFast(_ pointer: UnsafeMutableRawPointer) -> Bool {
        let address = Int(bitPattern: pointer)
        if _fastPath(freePath == .validated) {
            // The common case — a live block of the first slab, and no hot block to demote —
            // folded into one word tested once. An index out of range reads the map's sentinel
            // byte past its last block, which is 0 and never the generation.
            let index = rotatedIndex(of: address)
            let clamped = Swift.min(UInt(bitPattern: index), UInt(bitPattern: blockCount0))
            let live = live0.unsafelyUnwrapped[Int(bitPattern: clamped)]
            let mismatch = Int(truncatingIfNeeded: live ^ generation) | Int(truncatingIfNeeded: hot)
            guard _fastPath(mismatch == 0) else { return false }
        } else if freePath == .checked || hot != _FreeLink.end {
            return false
        }
        hot = UInt64(truncatingIfNeeded: address)
        frees &+= 1
        return true
    }

    /// The first-slab block index of `address`: rotating the offset right by log2(stride)
    /// gives the index of a block start and a huge number for anything else, so one
    /// comparison checks range and alignment.
    @inlinable
    @inline(__always)
    func rotatedIndex(of address: Int) -> Int {
        let offset = UInt(bitPattern: address &- base0)
        let shift = UInt(truncatingIfNeeded: indexer.shift)
        return Int(bitPattern: offset &>> shift | offset &<< (UInt(Int.bitWidth) &- shift))
    }

    /// Every free the fast path did not settle: validated frees outside the first slab or of
    /// blocks not live, checked frees, and frees that must first demote the hot block.
    @usableFromInline
    @inline(__always)
    mutating func deallocateBlockSlow(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        switch freePath {
        case .validated:
            try deallocateValidated(pointer, index: rotatedIndex(of: Int(bitPattern: pointer)))
        case .checked:
            try deallocateChecked(pointer)
        case .unchecked:
            let previous = hot
            if previous != _FreeLink.end { try demoteHot(previous, for: pointer) }
            hot = UInt64(UInt(bitPattern: pointer))
            frees &+= 1
        }
    }

    /// A validated free the inline test did not settle: a block outside the first slab's
    /// range, a block not live (a double free), or a hot block to demote first.
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

    /// Frees every block at once: a new generation, every block untouched again. Hardened, a
    /// damaged canary stops the process first (see `trapOnCorruption`).
    @usableFromInline
    mutating func reset() {
        if hardened { trapOnCorruption() }
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
