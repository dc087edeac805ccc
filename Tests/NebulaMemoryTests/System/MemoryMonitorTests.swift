import NebulaMemory
import Synchronization
import Testing

/// A clock whose `sleep` returns at once and records what was asked, so a monitor's loop runs
/// as fast as the test consumes it; `advance(by:)` moves it by hand.
final class ImmediateClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let elapsed = Mutex(Duration.zero)
    private let sleeps = Atomic<Int>(0)

    var now: Instant { Instant(offset: elapsed.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }
    var sleepCount: Int { sleeps.load(ordering: .relaxed) }

    /// Moves the clock forward without a sleep, for tests that sample by hand.
    func advance(by duration: Duration) {
        elapsed.withLock { $0 += duration }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        elapsed.withLock { $0 = Swift.max($0, deadline.offset) }
        sleeps.add(1, ordering: .relaxed)
        try Task.checkCancellation()
        await Task.yield()
    }
}

/// Hands out scripted snapshots in order, then repeats the last one.
final class ScriptedMemory: Sendable {
    private let script: [SystemMemory]
    private let next = Atomic<Int>(0)

    init(_ script: [SystemMemory]) { self.script = script }

    /// Snapshots of a 1000-byte machine with the given bytes available.
    convenience init(available: [Int]) {
        self.init(available.map { SystemMemory(total: 1000, available: $0) })
    }

    var samplesTaken: Int { next.load(ordering: .relaxed) }

    func read() -> SystemMemory {
        let index = next.add(1, ordering: .relaxed).oldValue
        return script[Swift.min(index, script.count - 1)]
    }
}

@Suite("MemoryMonitor")
struct MemoryMonitorTests {
    private let thresholds = MemoryPressure.Thresholds()

    @Test(arguments: [
        (500, MemoryPressure.normal), (201, .normal), (200, .moderate), (150, .moderate), (100, .high),
        (51, .high), (50, .critical), (0, .critical),
    ])
    func availableShareSetsTheLevel(available: Int, expected: MemoryPressure) {
        #expect(thresholds.level(of: SystemMemory(total: 1000, available: available)) == expected)
    }

    @Test(arguments: [(0.0, MemoryPressure.normal), (10, .moderate), (30, .high), (75, .critical)])
    func stallSetsTheLevelWhenMemoryIsPlentiful(stall: Double, expected: MemoryPressure) {
        let memory = SystemMemory(
            total: 1000, available: 900,
            pressure: .init(someAvg10: stall, someAvg60: 0, fullAvg10: 0, fullAvg60: 0))
        #expect(thresholds.level(of: memory) == expected)
    }

    @Test func cgroupLimitIsTheShareThatCounts() {
        let memory = SystemMemory(total: 1000, available: 900, cgroupLimit: 400, cgroupUsage: 380)
        #expect(thresholds.level(of: memory) == .critical)
    }

    @Test func unknownReadingsMeanNormal() {
        #expect(thresholds.level(of: SystemMemory()) == .normal)
    }

    @Test func levelRisesAtOnceButFallsOnlyPastTheMargin() {
        let boundary = SystemMemory(total: 1000, available: 200)  // exactly moderate
        let justAbove = SystemMemory(total: 1000, available: 210)  // above 20 %, inside the 2 % margin
        let clear = SystemMemory(total: 1000, available: 221)
        #expect(thresholds.level(of: boundary, from: .normal) == .moderate)
        #expect(thresholds.level(of: justAbove, from: .moderate) == .moderate)
        #expect(thresholds.level(of: clear, from: .moderate) == .normal)
        // From critical, a reading of moderate inside the high margin only falls to high.
        let moderateNearHigh = SystemMemory(total: 1000, available: 110)
        #expect(thresholds.level(of: moderateNearHigh, from: .critical) == .high)
        #expect(thresholds.level(of: SystemMemory(total: 1000, available: 10), from: .normal) == .critical)
    }

    @Test(arguments: [
        MemoryPressure.Thresholds(moderateAvailable: 1.5),
        .init(moderateAvailable: 0.05, highAvailable: 0.10),
        .init(moderateStall: 60),
        .init(criticalStall: 101),
        .init(availableHysteresis: -0.1),
        .init(highAvailable: .nan),
    ])
    func badThresholdsAreRejected(bad: MemoryPressure.Thresholds) {
        let error = #expect(throws: AllocError.self) { try MemoryMonitor(thresholds: bad) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func nonPositiveIntervalIsRejected() {
        let error = #expect(throws: AllocError.self) { try MemoryMonitor(interval: .zero) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func sampleUpdatesTheLevelAndTheBudgetHierarchy() throws {
        let engine = try MemoryBudget(name: "engine", limit: 1000)
        let workflow = try engine.child(name: "workflow", limit: 1000, policy: .pressureAware())
        let memory = ScriptedMemory(available: [500, 80, 300])
        let monitor = try MemoryMonitor(budget: engine, source: memory.read)
        #expect(monitor.level == .normal)
        #expect(monitor.sample() == .normal)
        #expect(monitor.sample() == .high)
        #expect(workflow.pressure == .high)
        #expect(workflow.effectiveLimit == 500)
        #expect(monitor.sample() == .normal)
        #expect(workflow.effectiveLimit == 1000)
    }

    @Test func streamPublishesOnlyChangesWithoutFlapping() async throws {
        // Wavers around the moderate threshold (inside the margin), then drops and recovers.
        let memory = ScriptedMemory(available: [500, 200, 210, 195, 215, 205, 40, 60, 300, 300])
        let clock = ImmediateClock()
        let monitor = try MemoryMonitor(interval: .milliseconds(250), clock: clock, source: memory.read)
        var seen: [MemoryPressure] = []
        for await level in monitor.levels() {
            seen.append(level)
            if seen.count == 4 { break }
        }
        #expect(seen == [.normal, .moderate, .critical, .normal])
        #expect(memory.samplesTaken >= 9)
        #expect(clock.now.offset >= .milliseconds(250) * (memory.samplesTaken - 1))
    }

    @Test func cancellingTheConsumerStopsSampling() async throws {
        let memory = ScriptedMemory(available: [500])
        let clock = ImmediateClock()
        let monitor = try MemoryMonitor(clock: clock, source: memory.read)
        let consumer = Task {
            var count = 0
            for await _ in monitor.levels() { count += 1 }
            return count
        }
        while memory.samplesTaken < 5 { await Task.yield() }
        consumer.cancel()
        #expect(await consumer.value == 1)
        let stopped = memory.samplesTaken
        for _ in 0..<100 { await Task.yield() }
        #expect(memory.samplesTaken <= stopped + 1)
    }

    @Test func readsThisMachine() throws {
        let monitor = try MemoryMonitor()
        #expect(MemoryPressure.allCases.contains(monitor.sample()))
    }
}
