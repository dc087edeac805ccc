import NebulaMemory

/// W9-snapshot: `MemoryRegistry.snapshot()` of `objects` registered objects, a third each
/// budgets, concurrent arenas and concurrent object pools; ten snapshots per round.
struct RegistrySnapshot {
    let objects: Int

    func run(rounds: Int) throws(AllocError) -> [BenchRun] {
        let registry = MemoryRegistry()
        var kept: [any MemoryReportable] = []
        kept.reserveCapacity(objects)
        for index in 0..<objects {
            let object: any MemoryReportable
            switch index % 3 {
            case 0: object = try MemoryBudget(name: "budget-\(index)", limit: 1 << 30)
            case 1: object = try ConcurrentBumpAllocator(capacity: 4096)
            default: object = try ConcurrentObjectPool(capacity: 4) { 0 }
            }
            try registry.register(object, as: "object-\(index)")
            kept.append(object)
        }
        _ = registry.snapshot()
        var runs: [BenchRun] = []
        for _ in 0..<rounds {
            var checksum = 0
            let start = monotonicNanoseconds()
            for _ in 0..<10 { checksum &+= registry.snapshot().entries.count }
            runs.append(BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: 10, checksum: checksum))
        }
        withExtendedLifetime(kept) {}
        return runs
    }
}
