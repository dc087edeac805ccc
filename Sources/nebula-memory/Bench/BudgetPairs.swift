import NebulaMemory

/// W10: `count` × (reserve 64 B on an execution budget under a workflow under the engine, then
/// release), on `threads` threads at once; the baseline is the malloc + free pair a budget
/// guards. With 2 threads each has its own execution budget under one shared workflow, so the
/// shared levels' counters are contended as in an engine running two executions;
/// `budget-reserve-ahead` gives the execution budgets a 64 KiB `reserveAhead`.
struct BudgetPairs {
    let count: Int
    let threads: Int

    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        let once: () throws(AllocError) -> BenchRun
        switch kind {
        case .system:
            let system = SystemSubject(maxLive: 1, maxSize: 64)
            let layout = try Layout(size: 64, alignment: 8)
            once = { () throws(AllocError) in
                try measure { _ throws(AllocError) in
                    var sum = 0
                    for _ in 0..<count {
                        let pointer = try system.allocate(layout)
                        sum &+= Int(bitPattern: pointer)
                        system.free(pointer, layout)
                    }
                    return sum
                }
            }
        case .budget, .budgetReserveAhead:
            let reserveAhead = kind == .budgetReserveAhead ? 64 << 10 : 0
            let engine = try MemoryBudget(name: "engine", limit: 1 << 30)
            let workflow = try engine.child(name: "workflow", limit: 1 << 28)
            let executions = try (0..<threads).map { index throws(AllocError) in
                try workflow.child(name: "execution-\(index)", limit: 1 << 20, reserveAhead: reserveAhead)
            }
            once = { () throws(AllocError) in
                try measure { thread throws(AllocError) in
                    let execution = executions[thread]
                    var sum = 0
                    for _ in 0..<count {
                        let reservation = try execution.reserve(64)
                        sum &+= reservation.bytes
                        reservation.release()
                    }
                    return sum
                }
            }
        default:
            return nil
        }
        return try repeatRuns(rounds, once)
    }

    private func measure(_ body: @escaping @Sendable (Int) throws(AllocError) -> Int) throws(AllocError) -> BenchRun {
        try measureOnThreads(threads, unitsPerThread: count, body)
    }
}
