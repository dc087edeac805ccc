import NebulaMemory
import Synchronization

/// Lets one test at a time use the process-wide allocation profiler: the profiler's own tests
/// and the bad-input cases both start and stop it, and run in parallel otherwise. Waiting
/// sleeps instead of blocking, so a waiting test never holds a thread the holder needs.
enum ProfilerGate {
    private static let busy = Atomic<Bool>(false)

    /// Runs `body` alone among the gate's users, with the profiler stopped and reset before
    /// and after.
    static func run<Result>(_ body: () throws -> Result) async rethrows -> Result {
        await enter()
        defer { leave() }
        return try body()
    }

    /// ``run(_:)`` for an asynchronous body.
    static func runAsync<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        await enter()
        defer { leave() }
        return try await body()
    }

    private static func enter() async {
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            try? await Task.sleep(for: .milliseconds(1))
        }
        AllocationProfiler.stop()
        AllocationProfiler.reset()
    }

    private static func leave() {
        AllocationProfiler.stop()
        AllocationProfiler.reset()
        busy.store(false, ordering: .releasing)
    }
}
