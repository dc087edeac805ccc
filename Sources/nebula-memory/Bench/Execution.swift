import NebulaMemory

/// W12: `count` simulated executions on `threads` threads at once, each: open a context under
/// a shared workflow budget, make 100 allocations of 8–512 B (xorshift64*, seed 42), check
/// 10 nodes out of an `ObjectPool` (one per thread) and give them back, close. `system`
/// does the same with malloc/free and Swift class instances.
struct Execution {
    let count: Int
    let threads: Int

    /// The 100 sizes every execution allocates.
    static let sizes: [Int] = {
        var state: UInt64 = 42
        return (0..<100).map { _ in
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return 8 + Int((state &* 0x2545_F491_4F6C_DD1D) % 505)
        }
    }()

    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        let count = self.count
        let layouts = try Self.sizes.map { size throws(AllocError) in try Layout(size: size, alignment: 8) }
        let body: @Sendable (Int) throws(AllocError) -> Int
        switch kind {
        case .system:
            let system = SystemSubject(maxLive: layouts.count, maxSize: 512)
            body = { _ throws(AllocError) in
                let pointers = PointerBuffer(layouts.count)
                defer { pointers.free() }
                var nodes: [BenchNode] = []
                nodes.reserveCapacity(10)
                var sum = 0
                for _ in 0..<count {
                    for (index, layout) in layouts.enumerated() {
                        let pointer = try system.allocate(layout)
                        pointer.storeBytes(of: index, as: Int.self)
                        pointers.base[index] = pointer
                    }
                    for index in 0..<10 { nodes.append(BenchNode(index)) }
                    for node in nodes { sum &+= node.b }
                    nodes.removeAll(keepingCapacity: true)
                    for (index, layout) in layouts.enumerated() { system.free(pointers.base[index], layout) }
                }
                return sum
            }
        case .context:
            let engine = try MemoryBudget(name: "engine", limit: 1 << 40)
            let workflow = try engine.child(name: "workflow", limit: 1 << 36)
            body = { _ throws(AllocError) in
                // One pool per thread, as an engine gives each worker its own.
                let pool = try ObjectPool(capacity: 16) { PooledNode() }
                var sum = 0
                for _ in 0..<count {
                    sum &+= try withContext(name: "execution", budget: workflow) { context throws(AllocError) in
                        var sum = 0
                        for (index, layout) in layouts.enumerated() {
                            let pointer = try context.arena.allocate(layout)
                            pointer.storeBytes(of: index, as: Int.self)
                            sum &+= Int(bitPattern: pointer)
                        }
                        for index in 0..<10 {
                            let node = try pool.checkout()
                            node.value.b = index
                            sum &+= node.value.a
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
            try measureOnThreads(threads, unitsPerThread: count, body)
        }
    }
}
