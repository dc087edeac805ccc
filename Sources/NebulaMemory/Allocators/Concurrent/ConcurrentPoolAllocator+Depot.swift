import Synchronization

/// The depot side of a ``ConcurrentPoolAllocator``: claiming a thread's cache, moving
/// magazines between caches and stripes, loose blocks for threads without a cache, untouched
/// runs and growth.
extension ConcurrentPoolAllocator {
    /// Makes the thread's cache current: a cache of an epoch before the last reset is void. A
    /// cache gets its two magazines the first time; false when the system has no memory for
    /// them (the thread then uses the shared path).
    func _claim(_ cache: UnsafeMutablePointer<_PoolThreadCache>) -> Bool {
        let epoch = _epoch.load(ordering: .acquiring)
        guard cache.pointee.epoch != epoch else { return true }
        if cache.pointee.loaded == nil {
            guard let loaded = _PoolMagazine.make(capacity: _magazineCapacity) else { return false }
            guard let spare = _PoolMagazine.make(capacity: _magazineCapacity) else {
                loaded.release()
                return false
            }
            cache.pointee.loaded = loaded.links
            cache.pointee.spare = spare
        }
        cache.pointee.count = 0
        cache.pointee.spare.unsafelyUnwrapped.count = 0
        cache.pointee.rangeNext = 0
        cache.pointee.rangeEnd = 0
        cache.pointee.epoch = epoch
        return true
    }

    /// Fills an empty cache: the spare magazine when it holds blocks, else a magazine (or loose
    /// blocks) from the thread's stripe, else a run of untouched blocks, else the other
    /// stripes, else a new slab.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when there is none; the pool is then unchanged.
    func _refill(_ cache: UnsafeMutablePointer<_PoolThreadCache>, stripe: Int) throws(AllocError) {
        if cache.pointee.spare.unsafelyUnwrapped.count > 0 {
            cache.pointee.swapMagazines()
            return
        }
        while true {
            for offset in 0..<Self.stripeCount {
                // The thread's own stripe first; untouched blocks before borrowing from others.
                if offset == 1, let run = _takeUntouchedRun(2 * _magazineCapacity) {
                    cache.pointee.rangeNext = _FreeLink.make(address: run.start, slab: run.slab)
                    cache.pointee.rangeEnd = _FreeLink.make(
                        address: run.start + run.count * _geometry.stride, slab: run.slab)
                    _noteOut(run.count)
                    return
                }
                if _take(into: cache, fromStripe: stripe &+ offset) { return }
            }
            guard _grow() else { throw _failed() }
        }
    }

    /// Loads a magazine of a stripe into an empty cache, giving the stripe the cache's empty
    /// spare in exchange; else copies the stripe's loose blocks into the loaded magazine. False
    /// when the stripe has no block.
    private func _take(into cache: UnsafeMutablePointer<_PoolThreadCache>, fromStripe index: Int) -> Bool {
        let spare = cache.pointee.spare.unsafelyUnwrapped
        let loaded = cache.pointee.loaded.unsafelyUnwrapped
        let capacity = _magazineCapacity
        let (magazine, count) = _stripe(index).pointee.withLock { stripe -> (_PoolMagazine?, Int) in
            if let magazine = stripe.magazines.pop() {
                stripe.count -= magazine.count
                stripe.empties.push(spare)
                return (magazine, magazine.count)
            }
            var count = 0
            while count < capacity, stripe.loose != _FreeLink.end {
                loaded[count] = stripe.loose
                stripe.loose = UnsafeRawPointer(bitPattern: _FreeLink.address(stripe.loose))!.loadUnaligned(
                    as: UInt64.self)
                count += 1
            }
            stripe.count -= count
            return (nil, count)
        }
        guard count > 0 else { return false }
        if let magazine {
            cache.pointee.spare = cache.pointee.unload()
            cache.pointee.load(magazine)
        } else {
            cache.pointee.count = count
        }
        _noteOut(count)
        return true
    }

    /// Makes room in a cache whose loaded magazine is full: swaps in the spare when it is
    /// empty, else gives the spare to the thread's stripe and loads an empty magazine (the
    /// stripe's, or a new one). False when there is no memory for a new magazine.
    func _makeRoom(in cache: UnsafeMutablePointer<_PoolThreadCache>, stripe index: Int) -> Bool {
        let spare = cache.pointee.spare.unsafelyUnwrapped
        if spare.count == 0 {
            cache.pointee.swapMagazines()
            return true
        }
        var empty = _stripe(index).pointee.withLock { stripe -> _PoolMagazine? in
            guard let empty = stripe.empties.pop() else { return nil }
            stripe.magazines.push(spare)
            stripe.count += spare.count
            return empty
        }
        if empty == nil {
            guard let made = _PoolMagazine.make(capacity: _magazineCapacity) else { return false }
            _stripe(index).pointee.withLock { stripe in
                stripe.magazines.push(spare)
                stripe.count += spare.count
            }
            empty = made
        }
        _out.subtract(spare.count, ordering: .relaxed)
        cache.pointee.spare = cache.pointee.unload()
        cache.pointee.load(empty.unsafelyUnwrapped)
        return true
    }

    /// One block, for a thread without a cache.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when there is none; the pool is then unchanged.
    func _takeOne(stripe: Int) throws(AllocError) -> UInt64 {
        while true {
            if let run = _takeUntouchedRun(1) {
                _noteOut(1)
                return _FreeLink.make(address: run.start, slab: run.slab)
            }
            for offset in 0..<Self.stripeCount {
                let link = _stripe(stripe &+ offset).pointee.withLock { stripe -> UInt64? in
                    if stripe.loose != _FreeLink.end {
                        let link = stripe.loose
                        stripe.loose = UnsafeRawPointer(bitPattern: _FreeLink.address(link))!.loadUnaligned(
                            as: UInt64.self)
                        stripe.count -= 1
                        return link
                    }
                    guard let magazine = stripe.magazines.pop() else { return nil }
                    magazine.count -= 1
                    let link = magazine.links[magazine.count]
                    if magazine.count > 0 { stripe.magazines.push(magazine) } else { stripe.empties.push(magazine) }
                    stripe.count -= 1
                    return link
                }
                if let link {
                    _noteOut(1)
                    return link
                }
            }
            guard _grow() else { throw _failed() }
        }
    }

    /// Gives one block to a stripe's loose list (a thread without a cache, or no memory for a
    /// magazine).
    func _giveLoose(_ link: UInt64, toStripe index: Int) {
        let block = UnsafeMutableRawPointer(bitPattern: _FreeLink.address(link))!
        _stripe(index).pointee.withLock { stripe in
            block.storeBytes(of: stripe.loose, as: UInt64.self)
            stripe.loose = link
            stripe.count += 1
        }
        _out.subtract(1, ordering: .relaxed)
    }

    /// Empties every stripe for a reset: magazines become empty ones, loose blocks are dropped.
    func _emptyDepot() {
        for index in 0..<Self.stripeCount {
            _stripe(index).pointee.withLock { stripe in
                while let magazine = stripe.magazines.pop() {
                    magazine.count = 0
                    stripe.empties.push(magazine)
                }
                stripe.loose = _FreeLink.end
                stripe.count = 0
            }
        }
    }

    /// Releases every magazine, for deinit.
    func _releaseMagazines() {
        for index in 0..<Self.stripeCount {
            _stripe(index).pointee.withLock { stripe in
                stripe.magazines.releaseAll()
                stripe.empties.releaseAll()
            }
        }
        for index in 0..<_ThreadSlot.count {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            if let loaded = cache.pointee.loaded { _PoolMagazine(links: loaded).release() }
            cache.pointee.spare?.release()
        }
    }

    /// Up to `wanted` consecutive untouched blocks of one slab, with one compare-and-exchange
    /// on the untouched cursor; nil when every slab is used up.
    func _takeUntouchedRun(_ wanted: Int) -> (start: Int, count: Int, slab: Int)? {
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
    func _grow() -> Bool {
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

    func _noteOut(_ count: Int) {
        let out = _out.add(count, ordering: .relaxed).newValue
        var peak = _peakOut.load(ordering: .relaxed)
        while out > peak {
            let (exchanged, original) = _peakOut.compareExchange(expected: peak, desired: out, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
    }

    /// Counts `error` as a failed request when statistics are on, and returns it.
    @usableFromInline
    @inline(never)
    func _noteFailure(_ error: AllocError) -> AllocError {
        _counters?.shared.recordFailure(error) ?? error
    }

    func _failed() -> AllocError {
        _noteFailure(_exhausted())
    }
}
