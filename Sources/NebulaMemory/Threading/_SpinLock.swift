import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The slow path of the spin locks built on an `Atomic<Bool>` (object pools, reserve-ahead
/// budgets): spin on plain loads, yield the processor after a short spin so that a descheduled
/// holder can run, and take the lock with an acquiring exchange, which ThreadSanitizer follows.
@usableFromInline
@inline(never)
func _acquireContendedSpinLock(_ lock: borrowing Atomic<Bool>) {
    var spins = 0
    while true {
        while lock.load(ordering: .relaxed) {
            spins += 1
            if spins > 64 { sched_yield() }
        }
        if !lock.exchange(true, ordering: .acquiring) { return }
    }
}
