import NebulaMemory
import Synchronization

/// The shared part of the engine `nebula-memory soak` simulates: the budget hierarchy, the node
/// pool and the connection blocks that both worker threads use at once.
final class SoakEngine: Sendable {
    /// The root budget; each workflow's budget is a child, each execution's a grandchild.
    let engine: MemoryBudget
    /// The workflows executions are charged to, chosen at random per execution.
    let workflows: [MemoryBudget]
    /// Node state, checked out for each node an execution runs.
    let nodes: ConcurrentObjectPool<SoakNode>
    /// Fixed-size blocks for the connections between nodes.
    let connectionBlocks: ConcurrentPoolAllocator
    /// Executions finished by all workers.
    let executions = Atomic<Int>(0)
    /// Set when the workers are to finish their current execution and stop.
    let stopping = Atomic<Bool>(false)
    /// Where the workers' checksums go, so that the optimizer keeps the work producing them.
    let checksum = Atomic<Int>(0)

    /// The block size of ``connectionBlocks``.
    static let connectionBlockSize = 128

    init() throws(AllocError) {
        engine = try MemoryBudget(name: "engine", limit: 1 << 30)
        var workflows: [MemoryBudget] = []
        for index in 0..<4 {
            workflows.append(try engine.child(name: "workflow-\(index)", limit: 128 << 20))
        }
        self.workflows = workflows
        nodes = try ConcurrentObjectPool(
            capacity: 256, configuration: ObjectPoolConfiguration(leakDetectionThreshold: .seconds(30))
        ) { SoakNode() }
        connectionBlocks = try ConcurrentPoolAllocator(
            blockSize: Self.connectionBlockSize, blockCount: 1024,
            configuration: ConcurrentPoolAllocator.Configuration(growth: .fixed))
    }

    /// What the shared allocators hold now, by name: when the resident set grows, these tell
    /// whether the growth is theirs.
    func holdings() -> [String: Int] {
        [
            "node pool objects": nodes.idleCount + nodes.inUseCount,
            "nodes created": nodes.statistics?.created ?? 0,
            "connection blocks": connectionBlocks.blockCount,
            "engine budget peak bytes": engine.peak,
        ]
    }

    /// What is still held at the end of a run that should hold nothing: budgets with bytes
    /// reserved, node objects out or reported leaked, connection blocks in use.
    func leftovers() -> [String] {
        var problems: [String] = []
        for budget in [engine] + workflows where budget.used != 0 {
            problems.append("budget \(budget.path) still has \(budget.used) bytes reserved")
        }
        if nodes.inUseCount != 0 { problems.append("node pool: \(nodes.inUseCount) objects still out") }
        let leaks = nodes.reportLeaks().count + (nodes.statistics?.leaks ?? 0)
        if leaks != 0 { problems.append("node pool: \(leaks) objects reported leaked") }
        if connectionBlocks.usedBlockCount != 0 {
            problems.append("connection pool: \(connectionBlocks.usedBlockCount) blocks still in use")
        }
        return problems
    }
}

/// A node's working state, reused across executions through the node pool.
struct SoakNode: Poolable, Sendable {
    /// Intermediate values of the node's run; keeps its capacity between users.
    var values: [UInt64] = []

    mutating func prepareForReuse() { values.removeAll(keepingCapacity: true) }

    /// Drops nodes whose scratch grew past what a typical node needs, as an engine would.
    var isReusable: Bool { values.capacity <= 4096 }
}
