import Dispatch
import NebulaMemory
import Synchronization

/// W6: two threads, each `perThread` allocations of 64 B from one shared allocator, then
/// released (each thread frees its own, or one reset after both are done). Wall time over
/// all allocations of both threads.
struct Threads2 {
    let perThread: Int

    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        switch kind {
        case .system: try repeatMeasure(SystemSubject.self, rounds: rounds)
        case .concurrentBump: try repeatMeasure(ConcurrentBumpSubject.self, rounds: rounds)
        case .concurrentPool: try repeatMeasure(ConcurrentPoolSubject.self, rounds: rounds)
        case .cReference, .bump, .pool, .stack, .bumpPerformance, .poolPerformance, .stackPerformance, .bumpHardened,
            .swiftClass, .objectPool, .concurrentObjectPool, .budget,
            .budgetReserveAhead, .context, .registry:
            nil
        }
    }

    private func repeatMeasure<S: SharedBenchSubject>(_ type: S.Type, rounds: Int) throws(AllocError) -> [BenchRun] {
        let subject = try S(maxLive: 2 * perThread, maxSize: 64)
        _ = try measure(subject)
        var runs: [BenchRun] = []
        for _ in 0..<rounds { runs.append(try measure(subject)) }
        return runs
    }

    private func measure<S: SharedBenchSubject>(_ subject: S) throws(AllocError) -> BenchRun {
        let perThread = self.perThread
        let buffers = (PointerBuffer(perThread), PointerBuffer(perThread))
        defer {
            buffers.0.free()
            buffers.1.free()
        }
        let failure = Mutex<AllocError?>(nil)
        let checksum = Atomic<Int>(0)
        let start = monotonicNanoseconds()
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            let pointers = thread == 0 ? buffers.0.base : buffers.1.base
            do throws(AllocError) {
                let layout = try Layout(size: 64, alignment: 8)
                var sum = 0
                for i in 0..<perThread {
                    let p = try subject.allocate(layout)
                    p.storeBytes(of: i, toByteOffset: 8, as: Int.self)
                    if S.threadsFreeEachPointer { pointers[i] = p }
                    sum &+= Int(bitPattern: p)
                }
                if S.threadsFreeEachPointer {
                    for i in 0..<perThread { try subject.free(pointers[i], layout) }
                }
                checksum.wrappingAdd(sum, ordering: .relaxed)
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        try subject.releaseAll()
        let nanoseconds = Double(monotonicNanoseconds() - start)
        return BenchRun(nanoseconds: nanoseconds, units: 2 * perThread, checksum: checksum.load(ordering: .relaxed))
    }
}
