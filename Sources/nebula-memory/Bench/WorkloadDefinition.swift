import NebulaMemory

/// A workload of BENCHMARKS.md as the CLI lists and runs it.
struct WorkloadDefinition: Sendable {
    let id: String
    let name: String
    let summary: String
    let unit: String
    /// Runs the workload `rounds` times (after a warm-up) on one subject, at full size or at a
    /// tenth of it for `--quick`.
    /// Nil when the subject cannot run this workload (a single-threaded allocator in W6).
    let run: @Sendable (_ subject: BenchSubjectKind, _ quick: Bool, _ rounds: Int) throws(AllocError) -> [BenchRun]?
    /// Why the workload cannot run yet (its subjects do not exist); nil when it can.
    var unavailable: String? = nil
    /// Whether ratios to the baselines mean anything (not for a difference such as W9).
    var hasRatios = true
    /// The subject the speed-ups are measured against.
    var baseline = BenchSubjectKind.system

    /// A workload whose subjects do not exist yet: listed, never measured.
    static func notAvailable(_ id: String, _ name: String, _ summary: String, unit: String, needs: String)
        -> WorkloadDefinition
    {
        WorkloadDefinition(
            id: id, name: name, summary: summary, unit: unit, run: { (_, _, _) throws(AllocError) in nil },
            unavailable: "not available: needs \(needs)")
    }

    static let all: [WorkloadDefinition] = [
        WorkloadDefinition(
            id: "W1", name: "alloc64",
            summary: "1,000,000 × 64 B allocations, then free all / reset, on an allocator warmed by a first round",
            unit: "ns per allocation",
            run: { (kind, quick, rounds) throws(AllocError) in
                if kind == .context {
                    return try ContextAlloc64(contexts: quick ? 10 : 100, perContext: 10_000, threads: 1)
                        .run(on: kind, rounds: rounds)
                }
                return try Alloc64(count: quick ? 100_000 : 1_000_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W1-cold", name: "alloc64-cold",
            summary: "W1 on a new allocator each round: the first touch of its memory (page faults) included",
            unit: "ns per allocation",
            run: { (kind, quick, rounds) throws(AllocError) in
                guard kind != .context else { return nil }
                return try Alloc64(count: quick ? 100_000 : 1_000_000, cold: true).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W1-2T", name: "alloc64-threads2",
            summary: "2 threads, each 100 × (a context or arena of its own, 10,000 × 64 B, close or reset)",
            unit: "wall ns per allocation, per thread",
            run: { (kind, quick, rounds) throws(AllocError) in
                try ContextAlloc64(contexts: quick ? 10 : 100, perContext: 10_000, threads: 2)
                    .run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W2", name: "batch100", summary: "100 × 64 B allocations, then release all; 10,000 times",
            unit: "ns per batch",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Batch100(repetitions: quick ? 1_000 : 10_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W3", name: "reuse", summary: "allocate 64 B, write, free; 1,000,000 times",
            unit: "ns per pair",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Reuse(count: quick ? 100_000 : 1_000_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W4", name: "reset", summary: "100 allocations, then release; only the release timed, 100,000 rounds",
            unit: "ns per reset",
            run: { (kind, quick, rounds) throws(AllocError) in
                try ResetCost(rounds: quick ? 10_000 : 100_000, allocations: 100).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W4-10K", name: "reset-10k",
            summary: "10,000 allocations, then release; only the release timed, 1,000 rounds",
            unit: "ns per reset",
            run: { (kind, quick, rounds) throws(AllocError) in
                try ResetCost(rounds: quick ? 100 : 1_000, allocations: 10_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W5", name: "mixed",
            summary: "1,000,000 allocations of 8…1024 B (xorshift64*, seed 42), released every 1,000",
            unit: "ns per allocation",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Mixed(count: quick ? 100_000 : 1_000_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W6", name: "threads2",
            summary: "2 threads, each 1,000,000 × 64 B from one shared allocator, then released",
            unit: "wall ns per allocation, all threads",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Threads2(perThread: quick ? 100_000 : 1_000_000).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W7", name: "objects", summary: "1,000,000 × get an instance, write a field, give it back",
            unit: "ns per cycle",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Objects(count: quick ? 100_000 : 1_000_000).run(on: kind, rounds: rounds)
            },
            baseline: .swiftClass),
        .notAvailable(
            "W8", "memops", "copy, fill and compare at 64 B, 4 KiB, 256 KiB, 16 MiB", unit: "GB/s",
            needs: "MemoryOps"),
        WorkloadDefinition(
            id: "W9", name: "stats", summary: "W1 on bump, pool and concurrent-pool with statistics on minus off",
            unit: "ns added per allocation",
            run: { (kind, quick, rounds) throws(AllocError) in
                try statisticsCost(on: kind, count: quick ? 100_000 : 1_000_000, rounds: rounds)
            },
            hasRatios: false),
        WorkloadDefinition(
            id: "W9-profiler", name: "profiler-off",
            summary: "1,000,000 typed 64 B allocations on bump, the allocation profiler off, minus the raw layout API",
            unit: "ns added per allocation",
            run: { (kind, quick, rounds) throws(AllocError) in
                guard kind == .bump else { return nil }
                return try ProfilerCost(count: quick ? 100_000 : 1_000_000).run(rounds: rounds)
            },
            hasRatios: false),
        WorkloadDefinition(
            id: "W9-snapshot", name: "registry-snapshot",
            summary: "MemoryRegistry.snapshot() of 1,000 registered budgets, arenas and object pools",
            unit: "ns per snapshot",
            run: { (kind, quick, rounds) throws(AllocError) in
                guard kind == .registry else { return nil }
                return try RegistrySnapshot(objects: 1000).run(rounds: rounds)
            },
            hasRatios: false),
        WorkloadDefinition(
            id: "W10", name: "budget", summary: "1,000,000 × reserve + release 64 B on a 3-level budget hierarchy",
            unit: "ns per pair",
            run: { (kind, quick, rounds) throws(AllocError) in
                try BudgetPairs(count: quick ? 100_000 : 1_000_000, threads: 1).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W10-2T", name: "budget-threads2",
            summary: "W10 on 2 threads at once, one execution budget each under a shared workflow",
            unit: "wall ns per pair, per thread",
            run: { (kind, quick, rounds) throws(AllocError) in
                try BudgetPairs(count: quick ? 100_000 : 1_000_000, threads: 2).run(on: kind, rounds: rounds)
            }),
        .notAvailable(
            "W11", "cache", "1,000,000 gets on a Zipf(0.99) trace over 100,000 keys, capacity 10,000",
            unit: "hit ratio, ns per get", needs: "the caches"),
        WorkloadDefinition(
            id: "W12", name: "execution",
            summary: "open a context, 100 allocations of 8–512 B and 10 pool checkouts, close; 100,000 times",
            unit: "ns per execution",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Execution(count: quick ? 10_000 : 100_000, threads: 1).run(on: kind, rounds: rounds)
            }),
        WorkloadDefinition(
            id: "W12-2T", name: "execution-threads2",
            summary: "W12 on 2 threads at once, one context each under a shared workflow budget",
            unit: "wall ns per execution, per thread",
            run: { (kind, quick, rounds) throws(AllocError) in
                try Execution(count: quick ? 10_000 : 100_000, threads: 2).run(on: kind, rounds: rounds)
            }),
    ]
}
