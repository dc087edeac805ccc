import NebulaMemory

/// A workload of BENCHMARKS.md as the CLI lists and runs it.
struct WorkloadDefinition: Sendable {
    let id: String
    let name: String
    let summary: String
    let unit: String
    /// Runs the workload `rounds` times (after a warm-up) on one subject, at full size or at a
    /// tenth of it for `--quick`. Built from concrete workload functions, so every subject's
    /// loop is specialized and inlined.
    let run: @Sendable (_ subject: BenchSubjectKind, _ quick: Bool, _ rounds: Int) throws(AllocError) -> [BenchRun]

    static let all: [WorkloadDefinition] = [
        WorkloadDefinition(
            id: "W1", name: "alloc64", summary: "1,000,000 × 64 B allocations, then free all / reset",
            unit: "ns per allocation", run: { (kind, quick, rounds) throws(AllocError) in
                switch try kind.make(maxLive: quick ? 100_000 : 1_000_000, maxSize: 64) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try alloc64(&s, count: quick ? 100_000 : 1_000_000) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try alloc64(&s, count: quick ? 100_000 : 1_000_000) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try alloc64(&s, count: quick ? 100_000 : 1_000_000) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try alloc64(&s, count: quick ? 100_000 : 1_000_000) }
                }
            }),
        WorkloadDefinition(
            id: "W2", name: "batch100", summary: "100 × 64 B allocations, then release all; 10,000 times",
            unit: "ns per batch", run: { (kind, quick, rounds) throws(AllocError) in
                switch try kind.make(maxLive: 100, maxSize: 64) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try batch100(&s, repetitions: quick ? 1_000 : 10_000) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try batch100(&s, repetitions: quick ? 1_000 : 10_000) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try batch100(&s, repetitions: quick ? 1_000 : 10_000) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try batch100(&s, repetitions: quick ? 1_000 : 10_000) }
                }
            }),
        WorkloadDefinition(
            id: "W3", name: "reuse", summary: "allocate 64 B, write, free; 1,000,000 times",
            unit: "ns per pair", run: { (kind, quick, rounds) throws(AllocError) in
                switch try kind.make(maxLive: 1, maxSize: 64) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try reuse(&s, count: quick ? 100_000 : 1_000_000) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try reuse(&s, count: quick ? 100_000 : 1_000_000) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try reuse(&s, count: quick ? 100_000 : 1_000_000) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try reuse(&s, count: quick ? 100_000 : 1_000_000) }
                }
            }),
        WorkloadDefinition(
            id: "W4", name: "reset", summary: "100 allocations, then release; only the release timed, 100,000 rounds",
            unit: "ns per reset", run: { (kind, quick, rounds) throws(AllocError) in
                switch try kind.make(maxLive: 100, maxSize: 64) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 10_000 : 100_000, allocations: 100) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 10_000 : 100_000, allocations: 100) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 10_000 : 100_000, allocations: 100) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 10_000 : 100_000, allocations: 100) }
                }
            }),
        WorkloadDefinition(
            id: "W4-10k", name: "reset-10k",
            summary: "10,000 allocations, then release; only the release timed, 1,000 rounds",
            unit: "ns per reset", run: { (kind, quick, rounds) throws(AllocError) in
                switch try kind.make(maxLive: 10_000, maxSize: 64) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 100 : 1_000, allocations: 10_000) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 100 : 1_000, allocations: 10_000) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 100 : 1_000, allocations: 10_000) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try resetCost(&s, rounds: quick ? 100 : 1_000, allocations: 10_000) }
                }
            }),
        WorkloadDefinition(
            id: "W5", name: "mixed", summary: "1,000,000 allocations of 8…1024 B (xorshift64*, seed 42), released every 1,000",
            unit: "ns per allocation", run: { (kind, quick, rounds) throws(AllocError) in
                let sizes = mixedSizes(count: quick ? 100_000 : 1_000_000)
                switch try kind.make(maxLive: 1000, maxSize: 1024) {
                case .system(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try mixed(&s, sizes: sizes) }
                case .bump(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try mixed(&s, sizes: sizes) }
                case .pool(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try mixed(&s, sizes: sizes) }
                case .stack(var s): return try measureRounds(&s, rounds) { (s) throws(AllocError) in try mixed(&s, sizes: sizes) }
                }
            }),
    ]
}
