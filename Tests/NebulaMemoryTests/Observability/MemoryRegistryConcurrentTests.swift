import NebulaMemory
import Synchronization
import Testing

@Suite("MemoryRegistry, concurrent")
struct MemoryRegistryConcurrentTests {
    /// One thread registers budgets and drops them at once, another snapshots and exports all
    /// the while: no crash, and every entry read is whole (its own name, its own limit).
    @Test func snapshotsWhileObjectsComeAndGo() throws {
        let registry = MemoryRegistry()
        let keeper = try MemoryBudget(name: "keeper", limit: 7)
        try registry.register(keeper, as: "keeper")
        let done = Atomic<Bool>(false)
        let broken = Atomic<Int>(0)
        let snapshots = Atomic<Int>(0)
        runOnThreads(2) { worker in
            if worker == 0 {
                for round in 0..<2000 {
                    guard let budget = try? MemoryBudget(name: "b\(round)", limit: round + 100) else {
                        broken.add(1, ordering: .relaxed)
                        continue
                    }
                    guard let name = try? registry.register(budget, as: "limit-\(round + 100)") else {
                        broken.add(1, ordering: .relaxed)
                        continue
                    }
                    if round % 3 == 0 { registry.unregister(name) }
                }
                done.store(true, ordering: .releasing)
            } else {
                while !done.load(ordering: .acquiring) || snapshots.load(ordering: .relaxed) < 10 {
                    let snapshot = registry.snapshot()
                    for entry in snapshot.entries {
                        guard let budget = entry.report.budget else {
                            broken.add(1, ordering: .relaxed)
                            continue
                        }
                        let expected = entry.name == "keeper" ? "7" : String(entry.name.dropFirst(6))
                        if String(budget.limitBytes) != expected { broken.add(1, ordering: .relaxed) }
                    }
                    if snapshot["keeper"] == nil { broken.add(1, ordering: .relaxed) }
                    _ = snapshot.prometheusText()
                    _ = snapshot.jsonText()
                    snapshots.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(broken.load(ordering: .relaxed) == 0)
        #expect(snapshots.load(ordering: .relaxed) >= 10)
        // Every budget is gone by now but the keeper.
        #expect(registry.snapshot().entries.map(\.name) == ["keeper"])
        withExtendedLifetime(keeper) {}
    }

    /// Two threads register 300 objects each under one name: every object gets a name of its
    /// own, and all are in the snapshot.
    @Test func registrationsUnderOneNameNeverCollide() throws {
        let registry = MemoryRegistry()
        let kept = Mutex<[MemoryBudget]>([])
        let failures = Atomic<Int>(0)
        runOnThreads(2) { worker in
            for index in 0..<300 {
                guard let budget = try? MemoryBudget(name: "b\(worker)-\(index)", limit: worker * 1000 + index),
                    (try? registry.register(budget, as: "workflow")) != nil
                else {
                    failures.add(1, ordering: .relaxed)
                    continue
                }
                kept.withLock { $0.append(budget) }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let snapshot = registry.snapshot()
        #expect(snapshot.entries.count == 600)
        #expect(Set(snapshot.entries.map(\.name)).count == 600)
        let limits = Set(snapshot.entries.compactMap { $0.report.budget?.limitBytes })
        #expect(limits.count == 600)
        // Read after the snapshot, so that every budget lives until it was taken.
        #expect(kept.withLock { $0.count } == 600)
    }
}
