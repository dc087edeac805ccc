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
