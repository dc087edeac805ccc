import NebulaMemory

/// One worker thread of `nebula-memory soak`: runs simulated workflow executions until the
/// engine says stop, with allocators of its own beside the engine's shared ones.
///
/// Each execution opens a memory context (a budget under a workflow's, and an arena), runs
/// a few nodes of mixed allocation sizes and gives everything back; sizes come from a seeded
/// generator, so a run with the same seed does the same work per execution.
final class SoakWorker {
    private let shared: SoakEngine
    private var random: SoakRandom
    /// Per-node scratch, popped after each node.
    private let stack: StackAllocator
    /// Small fixed-size records of one execution (edge lists).
    private let records: PoolAllocator
    /// A scratch arena for formatting, reset after each execution.
    private let scratch: BumpAllocator
    /// Connection objects, this thread's own.
    private let connections: ObjectPool<SoakConnection>
    private var blocks: [UnsafeMutableRawPointer] = []
    private var checksum = 0

    private let recordLayout: Layout
    private let blockLayout: Layout

    init(shared: SoakEngine, seed: UInt64) throws(AllocError) {
        self.shared = shared
        recordLayout = try Layout(size: 48, alignment: 16)
        blockLayout = try Layout(size: SoakEngine.connectionBlockSize, alignment: 16)
        random = SoakRandom(seed: seed)
        stack = try StackAllocator(capacity: 256 << 10)
        records = try PoolAllocator(
            blockSize: recordLayout.size, blockCount: 256,
            configuration: PoolAllocator.Configuration(growth: .growing(maxBlockCount: 4096)))
        scratch = try BumpAllocator(capacity: 16 << 10)
        connections = try ObjectPool(capacity: 64) { SoakConnection() }
        blocks.reserveCapacity(64)
    }

    /// Runs executions until the engine is stopping; returns what this thread still holds
    /// that it should not (empty when everything went back).
    func run() throws -> [String] {
        while !shared.stopping.load(ordering: .relaxed) {
            try execute()
            shared.executions.add(1, ordering: .relaxed)
        }
        shared.checksum.wrappingAdd(checksum, ordering: .relaxed)
        return leftovers()
    }

    private func execute() throws {
        let workflow = shared.workflows[random.next(below: shared.workflows.count)]
        let nodeCount = 4 + random.next(below: 20)
        try withMemoryContext(name: "execution", budget: workflow, limit: 16 << 20, arenaCapacity: 1 << 20) {
            context in
            var reservation = try context.budget.reserve(1024)
            let budgetedRecords = BudgetedAllocator(records, budget: context.budget)
            var recordPointers: [UnsafeMutableRawPointer] = []
            // Given back on every path, so that a failed execution leaves its budget at 0 too.
            defer {
                for pointer in recordPointers { try? budgetedRecords.deallocate(pointer, layout: recordLayout) }
            }
            for node in 0..<nodeCount {
                try runNode(node, in: context, reservation: &reservation)
                recordPointers.append(try budgetedRecords.allocate(recordLayout))
            }
            try reservation.shrink(by: reservation.bytes / 2)
            reservation.release()
            scratch.reset()
        }
    }

    private func runNode(_ node: Int, in context: MemoryContext, reservation: inout Reservation) throws {
        var state = try shared.nodes.checkout()
        var connection = try connections.checkout()
        let arena = context.arena

        // Raw bytes of mixed sizes; now and then one that takes the arena into a new chunk.
        let size = random.next(below: 32) == 0 ? 24 << 10 : 16 + random.next(below: 4096)
        let bytes = try arena.allocate(UInt8.self, count: size)
        bytes.initialize(repeating: UInt8(truncatingIfNeeded: node), count: size)
        // Non-trivial values: the arena deinitializes them when the context ends.
        let label = try arena.create("node-\(node)-" + String(repeating: "x", count: random.next(below: 64)))
        let outputs = try arena.create([Int](repeating: node, count: 1 + random.next(below: 256)))
        checksum &+= label.pointee.utf8.count &+ outputs.pointee.count &+ Int(bytes[size - 1])

        let valueCount = 1 + random.next(below: 512)
        for index in 0..<valueCount { state.value.values.append(UInt64(index)) }
        connection.value.targets.append(contentsOf: 0..<(1 + random.next(below: 8)))

        let blockCount = 1 + random.next(below: 4)
        defer {
            for block in blocks { try? shared.connectionBlocks.deallocate(block, layout: blockLayout) }
            blocks.removeAll(keepingCapacity: true)
        }
        for _ in 0..<blockCount { blocks.append(try shared.connectionBlocks.allocate(blockLayout)) }
        checksum &+= try stack.withFrame { (frame: StackAllocator) throws(AllocError) -> Int in
            let count = 64 + random.next(below: 4096)
            let temporary = try frame.allocate(UInt8.self, count: count)
            temporary.initialize(repeating: 1, count: count)
            let names = try frame.create(["in", "out", String(node)])
            return names.pointee.count &+ Int(temporary[count - 1])
        }
        let formatted = try scratch.create(String(describing: state.value.values.count))
        checksum &+= formatted.pointee.utf8.count

        try reservation.grow(by: 256 + random.next(below: 4096))
    }

    private func leftovers() -> [String] {
        var problems: [String] = []
        if stack.used != 0 { problems.append("stack allocator: \(stack.used) bytes still pushed") }
        if records.usedBlockCount != 0 { problems.append("record pool: \(records.usedBlockCount) blocks in use") }
        if connections.inUseCount != 0 {
            problems.append("connection pool: \(connections.inUseCount) objects still out")
        }
        let leaks = connections.reportLeaks().count + (connections.statistics?.leaks ?? 0)
        if leaks != 0 { problems.append("connection pool: \(leaks) objects reported leaked") }
        return problems
    }
}

/// A connection's state, reused across nodes through a worker's connection pool.
struct SoakConnection: Poolable {
    var targets: [Int] = []

    mutating func prepareForReuse() { targets.removeAll(keepingCapacity: true) }
}

/// SplitMix64: a small seeded generator, so that a soak's sizes repeat from run to run.
struct SoakRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    mutating func next(below bound: Int) -> Int {
        Int.random(in: 0..<bound, using: &self)
    }
}
