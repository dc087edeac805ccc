import Dispatch
import NebulaMemory
import Synchronization

/// What an arena runs from inside an allocation that grows it: the one moment a test can hold
/// an allocation under way on purpose, without racing for it.
final class GrowthHook: Sendable {
    private let action = Mutex<(@Sendable () -> Void)?>(nil)

    func set(_ body: @escaping @Sendable () -> Void) { action.withLock { $0 = body } }
    func run() { action.withLock { $0 }?() }
}

/// A misuse-detecting arena of one 4 KiB chunk whose growth overcommits a soft budget, which
/// calls `hook`.
func arena(calling hook: GrowthHook) throws -> ConcurrentBumpAllocator {
    let budget = kept(
        try MemoryBudget(
            name: "scope", limit: 4096, policy: .soft(overcommit: 1 << 20, onOvercommit: { _ in hook.run() })))
    return try ConcurrentBumpAllocator(
        capacity: 4096,
        configuration: .init(growth: .chunked(chunkSize: 4096, maxCapacity: 1 << 20), detectConcurrentMisuse: true),
        budget: budget)
}

/// Two requests of 3000 bytes: the second grows the arena.
func grow(_ arena: ConcurrentBumpAllocator) {
    _ = try? arena.allocate(Layout(size: 3000, alignment: 8))
    _ = try? arena.allocate(Layout(size: 3000, alignment: 8))
}

/// An allocation that grows `arena` on another thread, held under way inside the arena's
/// growth hook from `init` (which returns once it is) until `finish()`.
final class HeldAllocation {
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(on arena: ConcurrentBumpAllocator, hook: GrowthHook) {
        let inside = DispatchSemaphore(value: 0)
        let release = self.release
        let done = self.done
        hook.set {
            inside.signal()
            release.wait()
        }
        DispatchQueue.global().async {
            grow(arena)
            done.signal()
        }
        inside.wait()
    }

    /// Lets the allocation finish, and waits until it has.
    func finish() {
        release.signal()
        done.wait()
    }
}
