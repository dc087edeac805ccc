import Dispatch
import NebulaMemory
import Synchronization

/// Runs `body(thread)` on `threads` threads side by side (on the calling thread when there is
/// one) and returns the wall time per unit of one thread: what each unit costs while the others
/// run. `body` returns a checksum.
func measureOnThreads(
    _ threads: Int, unitsPerThread: Int, _ body: @escaping @Sendable (Int) throws(AllocError) -> Int
) throws(AllocError) -> BenchRun {
    let failure = Mutex<AllocError?>(nil)
    let checksum = Atomic<Int>(0)
    let start = monotonicNanoseconds()
    if threads == 1 {
        checksum.store(try body(0), ordering: .relaxed)
    } else {
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do throws(AllocError) {
                checksum.wrappingAdd(try body(thread), ordering: .relaxed)
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    let nanoseconds = Double(monotonicNanoseconds() - start)
    return BenchRun(nanoseconds: nanoseconds, units: unitsPerThread, checksum: checksum.load(ordering: .relaxed))
}

/// A warm-up, then `rounds` measured runs of `once`.
func repeatRuns(_ rounds: Int, _ once: () throws(AllocError) -> BenchRun) throws(AllocError) -> [BenchRun] {
    _ = try once()
    var runs: [BenchRun] = []
    for _ in 0..<rounds { runs.append(try once()) }
    return runs
}
