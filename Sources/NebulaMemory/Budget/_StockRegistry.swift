import Synchronization
import _NebulaMemoryShims

/// The budgets that keep per-thread stocks, so that a drain can reach every thread's stock and
/// a thread that exits can give back what it kept.
///
/// Entries are unretained: a budget adds itself when it first keeps a stock and removes itself
/// in its deinit, under the same lock, so an entry is never used after its budget is gone. A
/// drain that keeps budgets revoked past the lock (to retry a denied charge) marks them held,
/// and their deinit waits for that hold to end. The lock also serializes the revoke counts.
enum _StockRegistry {
    // A pthread mutex (`_Locked`), which ThreadSanitizer follows, unlike `Mutex`'s raw futex.
    private static let budgets = _Locked<[ObjectIdentifier: Unmanaged<MemoryBudget>]>([:])

    /// Whether any budget ever kept a stock: until then nothing needs draining.
    static var isActive: Bool { active.load(ordering: .sequentiallyConsistent) }
    private static let active = Atomic<Bool>(false)

    /// Installs the thread-exit hook on first use.
    private static let exitHookInstalled: Void = nm_set_thread_exit_hook { index in
        _StockRegistry.threadExiting(index: Int(index))
    }

    /// Registers `budget` and publishes `slots` as its stock slots, in one lock section so that
    /// a drain sees both or neither. Returns the slots in place (another thread's, when it won),
    /// or nil while a retrying drain is under way in its hierarchy (the charge then goes exact):
    /// that drain could not have revoked new slots.
    static func publish(_ slots: _StockSlots, for budget: MemoryBudget) -> _StockSlots? {
        _ = exitHookInstalled
        return budgets.withLock { registered in
            guard budget.hierarchy.retryingDrains.load(ordering: .relaxed) == 0 else { return nil }
            let (exchanged, existing) = budget.stockSlotsAddress.compareExchange(
                expected: 0, desired: Int(bitPattern: slots.base), ordering: .acquiringAndReleasing)
            registered[ObjectIdentifier(budget)] = Unmanaged.passUnretained(budget)
            active.store(true, ordering: .sequentiallyConsistent)
            return exchanged ? slots : UnsafeMutableRawPointer(bitPattern: existing).map(_StockSlots.init(base:))
        }
    }

    static func unregister(_ budget: MemoryBudget) {
        _ = budgets.withLock { $0.removeValue(forKey: ObjectIdentifier(budget)) }
    }

    /// Takes every thread's stock of each registered budget that `selects`, and refunds it up
    /// the hierarchy.
    static func drain(where selects: (MemoryBudget) -> Bool) {
        budgets.withLock { registered in
            let chosen = revokeAndTake(registered, where: selects)
            for entry in chosen { entry._withUnsafeGuaranteedRef { $0.stockSlots?.unrevoke() } }
        }
    }

    /// Drains every stock of `budget`'s hierarchy, then runs `retry` while those stocks stay
    /// revoked, so that no thread refills one before `retry` charged what the drain freed.
    /// `retry` must not drain or wait on a stock (a plain chain charge).
    static func drain<Result>(hierarchyOf budget: MemoryBudget, thenRetry retry: () -> Result) -> Result {
        let hierarchy = budget.hierarchy
        let chosen = budgets.withLock { registered in
            let chosen = revokeAndTake(registered, where: { $0.sharesRoot(with: budget) })
            for entry in chosen { _ = entry._withUnsafeGuaranteedRef { $0.drainHolds.add(1, ordering: .relaxed) } }
            hierarchy.retryingDrains.add(1, ordering: .relaxed)
            return chosen
        }
        let result = retry()
        budgets.withLock { _ in
            hierarchy.retryingDrains.subtract(1, ordering: .relaxed)
            for entry in chosen {
                entry._withUnsafeGuaranteedRef { budget in
                    budget.stockSlots?.unrevoke()
                    budget.drainHolds.subtract(1, ordering: .releasing)
                }
            }
        }
        return result
    }

    /// Revokes the stocks of the selected budgets, fences, takes them and refunds them; the
    /// budgets stay revoked. Entries are used through `_withUnsafeGuaranteedRef`: one may belong
    /// to a budget whose deinit waits for this lock, and such a budget must not be retained.
    private static func revokeAndTake(
        _ registered: [ObjectIdentifier: Unmanaged<MemoryBudget>], where selects: (MemoryBudget) -> Bool
    ) -> [Unmanaged<MemoryBudget>] {
        var chosen: [Unmanaged<MemoryBudget>] = []
        for entry in registered.values where entry._withUnsafeGuaranteedRef(selects) {
            entry._withUnsafeGuaranteedRef { $0.stockSlots?.revoke() }
            chosen.append(entry)
        }
        guard !chosen.isEmpty else { return chosen }
        // Without the fence an owner could still be inside its section unseen: take nothing.
        guard nm_heavy_barrier() == 0 else { return chosen }
        for entry in chosen {
            entry._withUnsafeGuaranteedRef { budget in
                if let slots = budget.stockSlots { budget.refundExactly(slots.takeRevoked()) }
            }
        }
        return chosen
    }

    /// The bytes in stock for the registered budgets that `selects`.
    static func stocked(where selects: (MemoryBudget) -> Bool) -> Int {
        budgets.withLock { registered in
            var total = 0
            for entry in registered.values where entry._withUnsafeGuaranteedRef(selects) {
                total &+= entry._withUnsafeGuaranteedRef { $0.stockSlots?.stocked ?? 0 }
            }
            return total
        }
    }

    /// Runs on an exiting thread that held `index`: its stocks go back to their budgets.
    private static func threadExiting(index: Int) {
        guard index < _ThreadSlot.count else { return }
        budgets.withLock { registered in
            for entry in registered.values {
                entry._withUnsafeGuaranteedRef { budget in
                    budget.stockSlots?.returnOwn(index, to: budget)
                }
            }
        }
    }
}
