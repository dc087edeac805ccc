import NebulaMemory

/// W9-profiler: what the allocation profiler costs when it is off. `count` typed allocations
/// of 8 × `UInt64` (64 B) on a bump arena, minus the same loop through the raw layout API,
/// alternating round by round as W9 does; the profiler is compiled into the typed path, so the
/// difference is its flag check (plus the typed API's layout arithmetic, folded for a constant
/// count).
struct ProfilerCost {
    let count: Int

    func run(rounds: Int) throws(AllocError) -> [BenchRun] {
        precondition(!AllocationProfiler.isActive, "W9-profiler measures the profiler off")
        let arena = try BumpAllocator(capacity: count * 64 + 4096, configuration: .performance)
        _ = try measureTyped(arena)
        _ = try measureRaw(arena)
        var runs: [BenchRun] = []
        for _ in 0..<rounds {
            let typed = try measureTyped(arena)
            let raw = try measureRaw(arena)
            runs.append(
                BenchRun(
                    nanoseconds: typed.nanoseconds - raw.nanoseconds, units: count,
                    checksum: typed.checksum &+ raw.checksum))
        }
        return runs
    }

    /// The typed loop: each allocation reads the profiler's flag.
    @inline(never)
    func measureTyped(_ arena: BumpAllocator) throws(AllocError) -> BenchRun {
        var checksum = 0
        let start = monotonicNanoseconds()
        for i in 0..<count {
            let p = try arena.allocate(UInt64.self, count: 8)
            p[1] = UInt64(truncatingIfNeeded: i)
            checksum &+= Int(bitPattern: p)
        }
        arena.reset()
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }

    /// The raw loop: the same allocations by layout.
    @inline(never)
    func measureRaw(_ arena: BumpAllocator) throws(AllocError) -> BenchRun {
        let layout = try Layout(size: 64, alignment: 8)
        var checksum = 0
        let start = monotonicNanoseconds()
        for i in 0..<count {
            let p = try arena.allocate(layout)
            p.storeBytes(of: UInt64(truncatingIfNeeded: i), toByteOffset: 8, as: UInt64.self)
            checksum &+= Int(bitPattern: p)
        }
        arena.reset()
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }
}
