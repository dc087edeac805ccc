import Glibc
import Synchronization

/// The slots of one budget, one per thread index, each on its own cache line.
struct _StockSlots {
    let base: UnsafeMutableRawPointer

    static func make() -> _StockSlots {
        _StockSlots(base: _ThreadSlot.allocate { _StockSlot() })
    }

    func free() {
        _ThreadSlot.deallocate(base, as: _StockSlot.self)
    }

    @inline(__always)
    func slot(_ index: Int) -> UnsafeMutablePointer<_StockSlot> {
        _ThreadSlot.slot(base, index, as: _StockSlot.self)
    }

    /// The sum of every slot's stock, as last written (exact when no owner is changing it).
    var stocked: Int {
        (0..<_ThreadSlot.count).reduce(0) { $0 &+ slot($1).pointee.stock.load(ordering: .relaxed) }
    }

    /// The sum of every slot's grant count.
    var grants: Int {
        (0..<_ThreadSlot.count).reduce(0) { $0 &+ slot($1).pointee.grants.load(ordering: .relaxed) }
    }

    /// Holds every slot revoked, so that owners stop using their stocks (under the registry's
    /// lock).
    func revoke() {
        for index in 0..<_ThreadSlot.count {
            let slot = slot(index)
            slot.pointee.revoked.store(slot.pointee.revoked.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        }
    }

    /// Lets the owners back in after ``revoke()`` (under the registry's lock).
    func unrevoke() {
        for index in 0..<_ThreadSlot.count {
            let slot = slot(index)
            slot.pointee.revoked.store(slot.pointee.revoked.load(ordering: .relaxed) &- 1, ordering: .releasing)
        }
    }

    /// After ``revoke()`` and a heavy barrier: waits for each owner to leave its section and
    /// takes every stock. Returns the bytes taken.
    func takeRevoked() -> Int {
        var taken = 0
        for index in 0..<_ThreadSlot.count {
            let slot = slot(index)
            var spins = 0
            while slot.pointee.busy.load(ordering: .acquiring) != 0 {
                spins += 1
                if spins > 64 { sched_yield() }
            }
            taken &+= slot.pointee.stock.load(ordering: .relaxed)
            slot.pointee.stock.store(0, ordering: .relaxed)
        }
        return taken
    }

    /// On the owning thread: gives its own stock back to `budget`'s hierarchy, unless a drain
    /// is taking it. The refund is made inside the section, so that a drain that finds the stock
    /// gone also finds the bytes refunded.
    func returnOwn(_ index: Int, to budget: MemoryBudget) {
        let slot = slot(index)
        guard slot.pointee.enter() else { return }
        let taken = slot.pointee.stock.load(ordering: .relaxed)
        slot.pointee.stock.store(0, ordering: .relaxed)
        if taken > 0 { budget.refundExactly(taken) }
        slot.pointee.exit()
    }
}
