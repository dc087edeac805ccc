import Synchronization
import _NebulaMemoryShims

// Per-thread charge stocks, after the per-CPU stocks of Linux memory cgroups: a thread that
// reserves from a budget charges the whole hierarchy `stockBatch` bytes at once and serves
// its next reservations (and takes its refunds) from that stock, touching only its own cache
// line. Invariant, at every level and every moment: live reservations + stocks ≤ limit —
// a stock is charged like a reservation. Near a limit (headroom under stockBatch × threads)
// charges go exact, and a charge that would be denied first drains every stock of the
// hierarchy and tries again, so a budget still grants every byte it has and denies exactly.

extension MemoryBudget {
    /// The calling thread's stocks, when this budget keeps them.
    var stockSlots: _StockSlots? {
        UnsafeMutableRawPointer(bitPattern: stockSlotsAddress.load(ordering: .acquiring)).map(_StockSlots.init(base:))
    }

    /// Bytes held in stocks of this budget (not those of its descendants), as last written.
    public var stocked: Int { stockSlots?.stocked ?? 0 }

    /// Gives every thread's stock of this budget and of every budget below it back to the
    /// hierarchy, so that ``charged`` counts live reservations only.
    ///
    /// Stocks are also drained when a thread exits, on ``setLimit(_:)``, on
    /// ``updatePressure(_:)``, before a denial and when the budget is deinitialized.
    ///
    /// - Complexity: a walk, under a process-wide lock, over every budget that keeps stocks
    ///   (each checked up its ancestry). When any is drained: one fence on every running
    ///   thread, then, for each drained budget, a pass over its per-thread slots (waiting for a
    ///   thread inside its stock) and a refund up the hierarchy. Not for hot paths.
    public func drainStocks() {
        _StockRegistry.drain(where: { $0.isWithin(self) })
    }

    /// Whether this budget is `ancestor` or nested in it, at any depth.
    ///
    /// - Parameter ancestor: the budget to look for up the hierarchy.
    /// - Returns: `true` when `ancestor` is this budget or one of its ancestors.
    /// - Complexity: O(*d*), for *d* the depth of this budget.
    public func isWithin(_ ancestor: MemoryBudget) -> Bool {
        // Unretained all the way: the stock registry asks this of budgets it does not retain,
        // one of which may be in its deinit on another thread (waiting for the registry's
        // lock). Retaining and releasing it here would run its deinit a second time.
        let target = Unmanaged.passUnretained(ancestor).toOpaque()
        var level = Unmanaged.passUnretained(self)
        while true {
            if level.toOpaque() == target { return true }
            guard let parent = level._withUnsafeGuaranteedRef({ $0.parentReference }) else { return false }
            level = parent
        }
    }

    /// Drains every stock of the hierarchy this budget belongs to.
    func drainHierarchyStocks() {
        _StockRegistry.drain(where: { $0.sharesRoot(with: self) })
    }

    // MARK: Charging

    /// Charges a chunk an arena takes: exactly, past every stock, and counted in the
    /// statistics like a reservation. The denial, or nil.
    func chargeChunk(_ bytes: Int) -> AllocError? {
        if chargesAhead { return chargeAhead(bytes, counted: true) }
        if let error = chargeExactly(bytes) {
            denialCount.add(1, ordering: .relaxed)
            return error
        }
        grantCount.add(1, ordering: .relaxed)
        return nil
    }

    /// Refunds a chunk an arena gave back.
    func refundChunk(_ bytes: Int) {
        if bytes > 0 { refundChain(bytes) }
    }

    /// Serves `bytes` from the calling thread's stock; false when it cannot (no stock, too
    /// little, a drain under way, or a thread without a slot).
    /// `counted` when the charge is a reservation on this budget (a child's charge is not).
    @inline(__always)
    func chargeFromStock(_ bytes: Int, counted: Bool) -> Bool {
        guard let slots = stockSlots else { return false }
        let index = _ThreadSlot.current
        guard index < _ThreadSlot.count else { return false }
        let slot = slots.slot(index)
        guard slot.pointee.enter() else { return false }
        let stock = slot.pointee.stock.load(ordering: .relaxed)
        let served = stock >= bytes
        if served {
            slot.pointee.stock.store(stock &- bytes, ordering: .relaxed)
            if counted { slot.pointee.grants.ownerIncrement() }
        }
        slot.pointee.exit()
        return served
    }

    /// Puts refunded `bytes` into the calling thread's stock, up to `stockBatch`; what goes
    /// beyond is returned. False when there is no stock to put them in.
    @inline(__always)
    func refundToStock(_ bytes: Int) -> Bool {
        guard let slots = stockSlots else { return false }
        let index = _ThreadSlot.current
        guard index < _ThreadSlot.count else { return false }
        let slot = slots.slot(index)
        guard slot.pointee.enter() else { return false }
        let (sum, overflow) = slot.pointee.stock.load(ordering: .relaxed).addingReportingOverflow(bytes)
        if !overflow, sum <= stockBatch {
            slot.pointee.stock.store(sum, ordering: .relaxed)
            slot.pointee.exit()
            return true
        }
        slot.pointee.exit()
        return false
    }

    /// The slow path of a charge on a budget that may keep stocks: refill the calling thread's
    /// stock with one charge of the hierarchy, or charge exactly near a limit.
    func chargeRefillingStock(_ bytes: Int) -> AllocError? {
        let index = _ThreadSlot.current
        if bytes <= stockBatch, index < _ThreadSlot.count, !isNearLimit(), let slots = ensureStockSlots() {
            let slot = slots.slot(index)
            if slot.pointee.enter() {
                let stock = slot.pointee.stock.load(ordering: .relaxed)
                if stock >= bytes {
                    slot.pointee.stock.store(stock &- bytes, ordering: .relaxed)
                    slot.pointee.exit()
                    return nil
                }
                // Charged inside the section, so that a drain waits for the refill to land and
                // takes it; a plain chain, since nothing here may wait on a drain. A stock never
                // holds more than stockBatch, so after the refill it holds exactly that.
                let amount = stockBatch &+ bytes &- stock
                let refused = chargeChain(amount, viaStocks: false)
                if refused == nil { slot.pointee.stock.store(stock &+ amount &- bytes, ordering: .relaxed) }
                slot.pointee.exit()
                if refused == nil { return nil }
            }
        } else if index < _ThreadSlot.count, let slots = stockSlots {
            slots.returnOwn(index, to: self)
        }
        return chargeExactly(bytes)
    }

    /// Whether some level's headroom is under `stockBatch` for every thread, where stocks
    /// could hold bytes that another thread's exact charge would need.
    private func isNearLimit() -> Bool {
        let threads = max(1, Int(nm_thread_count()))
        let (reserve, overflow) = stockBatch.multipliedReportingOverflow(by: threads)
        if overflow { return true }
        var level: MemoryBudget? = self
        while let budget = level {
            let headroom =
                budget.ceiling(limit: budget.limitBytes.load(ordering: .relaxed))
                - budget.usedBytes.load(ordering: .relaxed)
            if headroom < reserve { return true }
            level = budget.parent
        }
        return false
    }

    /// The stock slots, made and registered on first use; nil where the heavy barrier that
    /// draining needs is not available.
    private func ensureStockSlots() -> _StockSlots? {
        if let slots = stockSlots { return slots }
        guard nm_heavy_barrier_available() != 0 else { return nil }
        let made = _StockSlots.make()
        guard let published = _StockRegistry.publish(made, for: self) else {
            made.free()
            return nil
        }
        if published.base != made.base { made.free() }
        return published
    }
}
