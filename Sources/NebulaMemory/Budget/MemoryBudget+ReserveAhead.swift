// A budget created with `reserveAhead` keeps `creditBytes` charged to its ancestors and serves
// reservations from it under a spin lock held for a few instructions, so a reserve + release
// pair on it touches no shared counter. Invariant: usedBytes ≤ creditBytes, both changed only
// under `creditLock`; the ancestors count creditBytes, so every limit still bounds what is live.

extension MemoryBudget {
    /// Gives the bytes charged ahead and not reserved back to the ancestors.
    ///
    /// A no-op for a budget without `reserveAhead`. Useful before a budget sits idle for long,
    /// so that its siblings can use what it held.
    public func returnReservedAhead() {
        guard chargesAhead else { return }
        lockCredit()
        let unused = creditBytes.load(ordering: .relaxed) - usedBytes.load(ordering: .relaxed)
        creditBytes.subtract(unused, ordering: .relaxed)
        unlockCredit()
        if unused > 0 { onParent { $0.refundExactly(unused) } }
    }

    /// Bytes charged to the ancestors ahead of use and not reserved now.
    public var reservedAhead: Int {
        max(0, creditBytes.load(ordering: .relaxed) - usedBytes.load(ordering: .relaxed))
    }

    /// Charges under the lock; `counted` when the reservation was asked of this budget, whose
    /// statistics then count it (plain stores: the lock orders them).
    func chargeAhead(_ bytes: Int, counted: Bool) -> AllocError? {
        lockCredit()
        let report: OvercommitReport?
        do {
            report = try chargeAheadLocked(bytes)
        } catch {
            if counted { denialCount.store(denialCount.load(ordering: .relaxed) + 1, ordering: .relaxed) }
            unlockCredit()
            return error
        }
        if counted { grantCount.store(grantCount.load(ordering: .relaxed) + 1, ordering: .relaxed) }
        unlockCredit()
        if let report, let onOvercommit { onOvercommit(report) }
        return nil
    }

    func refundAhead(_ bytes: Int) {
        lockCredit()
        let used = usedBytes.load(ordering: .relaxed) - bytes
        usedBytes.store(used, ordering: .relaxed)
        let credit = creditBytes.load(ordering: .relaxed)
        var excess = 0
        if credit - used - reserveAhead > reserveAhead {  // more than two steps unused
            excess = credit - used - reserveAhead
            creditBytes.store(credit - excess, ordering: .relaxed)
        }
        unlockCredit()
        if excess > 0 { onParent { $0.refundChain(excess) } }
    }

    private func chargeAheadLocked(_ bytes: Int) throws(AllocError) -> OvercommitReport? {
        let used = usedBytes.load(ordering: .relaxed)
        let (next, overflow) = used.addingReportingOverflow(bytes)
        let cap = ceiling(limit: limitBytes.load(ordering: .relaxed))
        if overflow || next > cap { throw Denial(used: used, ceiling: cap).error(requested: bytes, budget: self) }
        let credit = creditBytes.load(ordering: .relaxed)
        if next > credit {
            let shortfall = next - credit
            // A whole step when the ancestors allow it and it stays under this budget's own
            // ceiling; else exactly what is missing.
            let step = min(shortfall.roundedUp(toMultipleOf: reserveAhead), cap - credit)
            // Plain chains: under the credit lock nothing may wait on a stock or a drain.
            if let error = onParent({ $0.chargeChain(step, viaStocks: false) }) ?? nil {
                guard step > shortfall else { throw error }
                if let error = onParent({ $0.chargeChain(shortfall, viaStocks: false) }) ?? nil { throw error }
                creditBytes.store(next, ordering: .relaxed)
            } else {
                creditBytes.store(credit + step, ordering: .relaxed)
            }
        }
        // `setLimit` takes the lock too, so the limit read above still holds.
        usedBytes.store(next, ordering: .relaxed)
        if next > peakBytes.load(ordering: .relaxed) { peakBytes.store(next, ordering: .relaxed) }
        let limit = limitBytes.load(ordering: .relaxed)
        guard next > limit, onOvercommit != nil else { return nil }
        return OvercommitReport(path: path, limit: limit, used: next, requested: bytes)
    }

    /// The same spin lock as the thread-safe object pools: an uncontended pass is one exchange
    /// and one store.
    @inline(__always)
    func lockCredit() {
        if creditLock.exchange(true, ordering: .acquiring) { _acquireContendedSpinLock(creditLock) }
    }

    @inline(__always)
    func unlockCredit() {
        creditLock.store(false, ordering: .releasing)
    }
}

extension Int {
    /// The smallest multiple of `step` (> 0) at or above `self`, or `Int.max` when it overflows.
    fileprivate func roundedUp(toMultipleOf step: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(step - 1)
        return overflow ? .max : sum / step * step
    }
}
