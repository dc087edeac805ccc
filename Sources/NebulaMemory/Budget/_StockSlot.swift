import Synchronization
import _NebulaMemoryShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thread's stock for one budget: bytes charged to the budget and its ancestors and not
/// handed out yet, so that a charge or refund within it touches no shared counter.
///
/// Only the owning thread (the holder of the slot's thread index) changes `stock`, with a plain
/// load and store, inside a section marked by `busy`. A drainer on another thread raises
/// `revoked`, runs `nm_heavy_barrier` (a fence on every running thread), waits for `busy` to
/// clear and then takes the stock: after the barrier the owner either has its `busy` store
/// visible to the drainer, or sees `revoked` and stays out. That pairing (an asymmetric
/// Dekker handshake) is what lets the owner's side run without a locked instruction. A refill
/// is charged inside the section, so a drain waits for it to land and takes it; the slots stay
/// revoked until a denied charge has retried, so no stock can refill in between. The protocol
/// is model-checked in Verification/BudgetStock.pml.
struct _StockSlot: ~Copyable {
    /// Bytes charged and not handed out.
    let stock = Atomic<Int>(0)
    /// 1 while the owner reads or changes `stock`.
    let busy = Atomic<Int>(0)
    /// How many drains hold the slot (changed only under the registry's lock); while above 0
    /// the owner charges exactly.
    let revoked = Atomic<Int>(0)
    /// Charges served from the stock, for the budget's statistics.
    let grants = Atomic<Int>(0)

    init() {}

    /// Opens the owner's section; false (and nothing held) while a drain runs.
    @inline(__always)
    func enter() -> Bool {
        busy.store(1, ordering: .relaxed)
        nm_compiler_barrier()
        if revoked.load(ordering: .acquiring) == 0 { return true }
        busy.store(0, ordering: .releasing)
        return false
    }

    /// Closes the owner's section.
    @inline(__always)
    func exit() {
        busy.store(0, ordering: .releasing)
    }
}

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
