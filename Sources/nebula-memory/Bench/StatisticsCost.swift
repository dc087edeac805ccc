import NebulaMemory

/// W9: what statistics cost on an allocator's fast path. W1 runs on the allocator with
/// statistics (`On`) and without (`Off`), alternating round by round so that both see the
/// same machine; each round's result is the difference per allocation.
struct StatisticsCost<On: BenchSubject, Off: BenchSubject> {
    let count: Int

    func run(rounds: Int) throws(AllocError) -> [BenchRun] {
        let workload = Alloc64(count: count)
        var on = try On(maxLive: workload.maxLive, maxSize: workload.maxSize)
        var off = try Off(maxLive: workload.maxLive, maxSize: workload.maxSize)
        _ = try workload.measure(&on)
        _ = try workload.measure(&off)
        var runs: [BenchRun] = []
        for _ in 0..<rounds {
            let with = try workload.measure(&on)
            let without = try workload.measure(&off)
            runs.append(
                BenchRun(
                    nanoseconds: with.nanoseconds - without.nanoseconds, units: count,
                    checksum: with.checksum &+ without.checksum))
        }
        return runs
    }
}

/// W9 on the subject `kind` names: bump, pool or concurrent-pool; nil for the others.
func statisticsCost(on kind: BenchSubjectKind, count: Int, rounds: Int) throws(AllocError) -> [BenchRun]? {
    switch kind {
    case .bump:
        try StatisticsCost<BumpSubject<DefaultPreset>, BumpSubject<PerformancePreset>>(count: count)
            .run(rounds: rounds)
    case .pool:
        try StatisticsCost<
            LayoutPoolSubject<PoolAllocator, StatisticsOn>, LayoutPoolSubject<PoolAllocator, StatisticsOff>
        >(count: count).run(rounds: rounds)
    case .concurrentPool:
        try StatisticsCost<
            LayoutPoolSubject<ConcurrentPoolAllocator, StatisticsOn>,
            LayoutPoolSubject<ConcurrentPoolAllocator, StatisticsOff>
        >(count: count).run(rounds: rounds)
    default: nil
    }
}
