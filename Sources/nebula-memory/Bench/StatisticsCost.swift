import NebulaMemory

/// W9: what statistics cost on the bump arena's fast path. W1 runs on an arena with
/// statistics (`.default`) and one without (`.performance`), alternating round by round so
/// that both see the same machine; each round's result is the difference per allocation.
struct StatisticsCost {
    let count: Int

    func run(rounds: Int) throws(AllocError) -> [BenchRun] {
        let workload = Alloc64(count: count)
        var on = try BumpSubject<DefaultPreset>(maxLive: workload.maxLive, maxSize: workload.maxSize)
        var off = try BumpSubject<PerformancePreset>(maxLive: workload.maxLive, maxSize: workload.maxSize)
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
