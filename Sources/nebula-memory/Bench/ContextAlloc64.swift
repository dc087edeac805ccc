import NebulaMemory

/// W1 for a `MemoryContext` (and W1-2T): `contexts` × (open a context under a shared workflow
/// budget, `perContext` allocations of 64 B from its arena, close), on `threads` threads, one
/// context at a time each. `concurrent-bump` is the bare arena with the same 64 KiB chunks, one
/// per thread, reset where the context closes: the difference is what the budget and the
/// context cost.
struct ContextAlloc64 {
    let contexts: Int
    let perContext: Int
    let threads: Int

    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        let layout = try Layout(size: 64, alignment: 8)
        let (contexts, perContext) = (self.contexts, self.perContext)
        let body: @Sendable (Int) throws(AllocError) -> Int
        switch kind {
        case .concurrentBump:
            let growth = BumpAllocator.Configuration.Growth.chunked(chunkSize: 64 << 10, maxCapacity: 1 << 40)
            let arenas = try (0..<threads).map { _ throws(AllocError) in
                try ConcurrentBumpAllocator(capacity: 64 << 10, configuration: .init(growth: growth))
            }
            body = { thread throws(AllocError) in
                let arena = arenas[thread]
                var sum = 0
                for _ in 0..<contexts {
                    for i in 0..<perContext {
                        let pointer = try arena.allocate(layout)
                        pointer.storeBytes(of: i, as: Int.self)
                        sum &+= Int(bitPattern: pointer)
                    }
                    try arena.reset()
                }
                return sum
            }
        case .context:
            let engine = try MemoryBudget(name: "engine", limit: 1 << 40)
            let workflow = try engine.child(name: "workflow", limit: 1 << 36)
            body = { _ throws(AllocError) in
                var sum = 0
                for _ in 0..<contexts {
                    sum &+= try withContext(name: "execution", budget: workflow) { context throws(AllocError) in
                        var sum = 0
                        for i in 0..<perContext {
                            let pointer = try context.arena.allocate(layout)
                            pointer.storeBytes(of: i, as: Int.self)
                            sum &+= Int(bitPattern: pointer)
                        }
                        return sum
                    }
                }
                return sum
            }
        default:
            return nil
        }
        return try repeatRuns(rounds) { () throws(AllocError) in
            try measureOnThreads(threads, unitsPerThread: contexts * perContext, body)
        }
    }
}

/// `withMemoryContext` with its errors typed, for the benchmark loops.
func withContext<Result>(
    name: String, budget: MemoryBudget, _ body: (MemoryContext) throws(AllocError) -> Result
) throws(AllocError) -> Result {
    do {
        return try withMemoryContext(name: name, budget: budget) { context in try body(context) }
    } catch let error as AllocError {
        throw error
    } catch {
        preconditionFailure("the body throws only AllocError")
    }
}
