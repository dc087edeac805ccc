import NebulaMemory

/// The engine `nebula-memory stats` runs: executions on two threads, each in a memory context
/// under a shared workflow budget, with scratch from a shared arena, buffers from a block pool
/// and nodes from an object pool, all registered in a registry.
final class StatsDemo: Sendable {
    let registry = MemoryRegistry()
    let engine: MemoryBudget
    let workflow: MemoryBudget
    let scratch: ConcurrentBumpAllocator
    let buffers: ConcurrentPoolAllocator
    let nodes: ConcurrentObjectPool<PooledNode>
    let contexts = MemoryContexts()

    init() throws(AllocError) {
        engine = try MemoryBudget(name: "engine", limit: 1 << 30)
        workflow = try engine.child(name: "workflow", limit: 256 << 20)
        scratch = try ConcurrentBumpAllocator(
            capacity: 1 << 20, configuration: .init(growth: .chunked(chunkSize: 1 << 20, maxCapacity: 1 << 30)))
        buffers = try ConcurrentPoolAllocator(blockSize: 4096, blockCount: 64)
        nodes = try ConcurrentObjectPool(capacity: 32) { PooledNode() }
        try registry.register(engine, as: "engine")
        try registry.register(workflow, as: "workflow")
        try registry.register(scratch, as: "scratch")
        try registry.register(buffers, as: "buffers")
        try registry.register(nodes, as: "nodes")
        try registry.register(contexts, as: "contexts")
    }

    /// Runs `count` executions on each of two threads (the shared scratch arena is reset first).
    func run(executions count: Int) throws(AllocError) {
        try scratch.reset()
        let layouts = try Execution.sizes.map { size throws(AllocError) in try Layout(size: size, alignment: 8) }
        let (workflow, scratch, buffers, nodes) = (workflow, scratch, buffers, nodes)
        _ = try measureOnThreads(2, unitsPerThread: count) { _ throws(AllocError) in
            var sum = 0
            for _ in 0..<count {
                sum &+= try withContext(name: "execution", budget: workflow) { context throws(AllocError) in
                    var sum = 0
                    for layout in layouts {
                        sum &+= Int(bitPattern: try context.arena.allocate(layout))
                    }
                    _ = try scratch.allocate(Layout(size: 64, alignment: 8))
                    let buffer = try buffers.allocateBlock()
                    defer { try? buffers.deallocateBlock(buffer) }
                    let node = try nodes.checkout()
                    node.value.b = sum
                    return node.value.a &+ sum
                }
            }
            return sum
        }
    }

    /// Runs `count` W5-style executions on each of two threads: 100 requests of 8…1024 bytes
    /// each (W5's sizes), a block from the pool for each, every tenth also from the arena.
    func runMixed(executions count: Int) throws(AllocError) {
        try scratch.reset()
        let layouts = Mixed(count: 1000).sizes
        let (scratch, buffers) = (scratch, buffers)
        _ = try measureOnThreads(2, unitsPerThread: count) { thread throws(AllocError) in
            var sum = 0
            for execution in 0..<count {
                for step in 0..<100 {
                    let layout = layouts[(execution &* 100 &+ step &+ thread &* 500) % layouts.count]
                    let block = try buffers.allocate(layout)
                    sum &+= Int(bitPattern: block)
                    try buffers.deallocate(block, layout: layout)
                    if step % 10 == 0 { sum &+= Int(bitPattern: try scratch.allocate(layout)) }
                }
            }
            return sum
        }
    }
}
