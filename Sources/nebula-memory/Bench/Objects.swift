import NebulaMemory

/// The object of W7: a class instance with four stored `Int`s.
final class BenchNode: Sendable {
    let a: Int
    let b: Int
    let c: Int
    let d: Int

    init(_ value: Int) {
        a = value
        b = value &+ 1
        c = value &+ 2
        d = value &+ 3
    }
}

/// A node that pools hand out: the same four fields, one of them written per use.
final class PooledNode: @unchecked Sendable {
    // Unchecked: each instance is used by one task at a time (the pools guarantee it).
    var a = 0
    var b = 0
    var c = 0
    var d = 0
}

/// W7: `count` × (get an instance, write a field, give it back). `swift-class` creates and
/// drops a class instance (kept in a slot until the next iteration replaces it, so that the
/// optimizer can neither skip the allocation nor move it to the stack); the pools check one
/// out and let the handle return it.
struct Objects {
    let count: Int

    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        switch kind {
        case .swiftClass: return try repeatRounds(rounds) { measureClass() }
        case .objectPool:
            let pool = try ObjectPool(capacity: 16) { PooledNode() }
            return try repeatRounds(rounds) { () throws(AllocError) in try measure(pool) }
        case .concurrentObjectPool:
            let pool = try ConcurrentObjectPool(capacity: 16) { PooledNode() }
            return try repeatRounds(rounds) { () throws(AllocError) in try measure(pool) }
        default: return nil
        }
    }

    private func repeatRounds(_ rounds: Int, _ once: () throws(AllocError) -> BenchRun) throws(AllocError)
        -> [BenchRun]
    {
        _ = try once()
        var runs: [BenchRun] = []
        for _ in 0..<rounds { runs.append(try once()) }
        return runs
    }

    private func measureClass() -> BenchRun {
        var slot: [BenchNode] = [BenchNode(0)]
        var checksum = 0
        let start = monotonicNanoseconds()
        slot.withUnsafeMutableBufferPointer { slot in
            for i in 0..<count {
                let node = BenchNode(i)
                checksum &+= node.b
                slot[0] = node
            }
        }
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }

    private func measure(_ pool: some NodePool) throws(AllocError) -> BenchRun {
        var checksum = 0
        let start = monotonicNanoseconds()
        for i in 0..<count {
            let pooled = try pool.checkout()
            pooled.value.b = i
            checksum &+= pooled.value.a
        }
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }
}

/// The two synchronous pools, so that W7 is written once for both.
protocol NodePool {
    func checkout() throws(AllocError) -> Pooled<PooledNode>
}

extension ObjectPool<PooledNode>: NodePool {}
extension ConcurrentObjectPool<PooledNode>: NodePool {}
