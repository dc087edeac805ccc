import Synchronization

// How a charge or refund travels the hierarchy: compare-and-swap level by level, all or
// nothing, through the ancestors' per-thread stocks where they keep them (MemoryBudget+Stock.swift).

extension MemoryBudget {
    /// Charges every level from this one up, or none: a level whose ancestors refuse gives its
    /// charge back before the error passes on.
    func charge(_ bytes: Int) throws(AllocError) {
        guard bytes >= 0 else {
            throw AllocError(
                .invalidLayout, "budget \(path): cannot reserve \(bytes) bytes", allocatorKind: .budget,
                suggestion: "reserve a size of 0 or more")
        }
        if chargesAhead {
            if let error = chargeAhead(bytes, counted: true) { throw error }
            return
        }
        if stockBatch > 0 && chargeFromStock(bytes, counted: true) { return }
        if let error = stockBatch > 0 ? chargeRefillingStock(bytes) : chargeExactly(bytes) {
            denialCount.add(1, ordering: .relaxed)
            throw error
        }
        grantCount.add(1, ordering: .relaxed)
    }

    /// ``charge(_:)`` with its error returned, for callers that hold the budget unretained.
    func chargeReportingError(_ bytes: Int) -> AllocError? {
        do throws(AllocError) {
            try charge(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Charges the hierarchy exactly; before denying, drains the stocks that may hold what is
    /// missing and tries once more.
    func chargeExactly(_ bytes: Int) -> AllocError? {
        guard let error = chargeChain(bytes) else { return nil }
        guard _StockRegistry.isActive else { return error }
        return _StockRegistry.drain(hierarchyOf: self, thenRetry: { chargeChain(bytes, viaStocks: false) })
    }

    /// Charges this level and its ancestors; on a denial every level is restored and the error
    /// returned (a value, so that it can pass through ``onParent(_:)``).
    ///
    /// `viaStocks`: ancestors may serve the charge from the calling thread's stocks (and refill
    /// or drain them); without it every level is charged with compare-and-swap alone, which
    /// never waits on a stock or a drain.
    func chargeChain(_ bytes: Int, viaStocks: Bool = true) -> AllocError? {
        if chargesAhead { return chargeAhead(bytes, counted: false) }
        let charged: LevelCharge
        switch chargeLevel(bytes) {
        case .denied(let denial): return denial.error(requested: bytes, budget: self)
        case .charged(let level): charged = level
        }
        let parentError = onParent { parent in
            viaStocks ? parent.chargeForChild(bytes) : parent.chargeChain(bytes, viaStocks: false)
        }
        if let error = parentError ?? nil {
            refundLevel(bytes)
            return error
        }
        noteGranted(charged, requested: bytes)
        return nil
    }

    /// Charges what a child charged: from the calling thread's stock here when it can, so that
    /// a child's charge touches no shared counter above it.
    func chargeForChild(_ bytes: Int) -> AllocError? {
        guard stockBatch > 0 else { return chargeChain(bytes) }
        if chargeFromStock(bytes, counted: false) { return nil }
        return chargeRefillingStock(bytes)
    }

    /// Gives back `bytes` reserved here: to the calling thread's stock, or to every level from
    /// this one up.
    func refund(_ bytes: Int) {
        if stockBatch > 0 && refundToStock(bytes) { return }
        refundChain(bytes)
    }

    /// Gives `bytes` back to this level, and to its ancestors through their stocks (a
    /// reserve-ahead level keeps them as credit).
    func refundChain(_ bytes: Int) {
        if chargesAhead { return refundAhead(bytes) }
        refundLevel(bytes)
        onParent { $0.refund(bytes) }
    }

    /// Gives `bytes` back to every level from this one up, past every stock: for drains.
    func refundExactly(_ bytes: Int) {
        if chargesAhead { return refundAhead(bytes) }
        refundLevel(bytes)
        onParent { $0.refundExactly(bytes) }
    }

    /// Calls `body` with the parent without retaining it (`self` holds it for the call): the
    /// retain and release of an ancestor that every execution shares would be atomics
    /// contended by every thread (docs/PERFORMANCE.md).
    @inline(__always)
    func onParent<Result>(_ body: (MemoryBudget) -> Result) -> Result? {
        parentReference?._withUnsafeGuaranteedRef(body)
    }

    fileprivate func chargeLevel(_ bytes: Int) -> LevelOutcome {
        var current = usedBytes.load(ordering: .relaxed)
        while true {
            let (next, overflow) = current.addingReportingOverflow(bytes)
            let cap = ceiling(limit: limitBytes.load(ordering: .relaxed))
            if overflow || next > cap { return .denied(Denial(used: current, ceiling: cap)) }
            let (exchanged, original) = usedBytes.compareExchange(
                expected: current, desired: next, ordering: .sequentiallyConsistent)
            guard exchanged else {
                current = original
                continue
            }
            // A limit lowered meanwhile wins: give the bytes back and deny.
            let settledLimit = limitBytes.load(ordering: .sequentiallyConsistent)
            let settled = ceiling(limit: settledLimit)
            if next > settled {
                refundLevel(bytes)
                return .denied(Denial(used: current, ceiling: settled))
            }
            return .charged(LevelCharge(used: next, limit: settledLimit))
        }
    }

    /// Records a charge once every ancestor granted it too: a charge that an ancestor denies
    /// must leave no peak and no overcommit report behind.
    fileprivate func noteGranted(_ charge: LevelCharge, requested bytes: Int) {
        // Most charges do not set a new peak: a load spares the read-modify-write.
        if charge.used > peakBytes.load(ordering: .relaxed) { peakBytes.max(charge.used, ordering: .relaxed) }
        if charge.used > charge.limit, let onOvercommit {
            onOvercommit(OvercommitReport(path: path, limit: charge.limit, used: charge.used, requested: bytes))
        }
    }

    @inline(__always)
    fileprivate func refundLevel(_ bytes: Int) {
        usedBytes.subtract(bytes, ordering: .relaxed)
    }
}

/// One level's charge: its use right after it and the limit it was checked against.
struct LevelCharge {
    var used: Int
    var limit: Int
}

/// What charging one level gave.
enum LevelOutcome {
    case charged(LevelCharge)
    case denied(Denial)
}

/// Why one level refused a charge, turned into an error once every level is restored.
struct Denial {
    var used: Int
    var ceiling: Int

    func error(requested: Int, budget: MemoryBudget) -> AllocError {
        AllocError(
            .budgetExceeded,
            "budget \(budget.path): reserving \(requested) bytes would pass its limit of \(budget.limit) "
                + "(\(used) used, \(max(0, ceiling - used)) available)",
            allocatorKind: .budget, capacity: budget.limit, used: used, available: max(0, ceiling - used),
            notes: ["effective limit \(ceiling) under policy \(budget.policy.label)", "no budget level was charged"])
    }
}
