import CReference
import NebulaMemory

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A workload written once for every subject.
///
/// `measure` and `run(on:rounds:)` are `@inline(__always)`: called through the protocol, a
/// generic method was left unspecialized, with every allocation behind a witness-table call
/// (3–5× slower than the inlined fast path users get). Inlined into each concrete workload's
/// closure, the subject type is known and each subject's loop is specialized.
protocol AllocationWorkload {
    /// The most allocations alive at once, and the largest size: how big each subject is made.
    var maxLive: Int { get }
    var maxSize: Int { get }
    /// What one run counts: allocations, batches, pairs or resets.
    var units: Int { get }
    /// Runs once; only the part that the workload times is in the result's nanoseconds.
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun
    /// Runs the workload's C twin once on the C reference allocators; nil when they ran out
    /// of room.
    func measureReference(_ context: OpaquePointer) -> cref_result?
    /// Each round on a new subject, without a warm-up: what the first touch of its memory
    /// costs (page faults), not the allocator on memory it already holds.
    var cold: Bool { get }
}

extension AllocationWorkload {
    var cold: Bool { false }
}

extension AllocationWorkload {
    /// Creates a subject of `kind` and runs an untimed warm-up round, then `rounds` timed ones
    /// on it: its memory is then touched, and the C allocator's free lists primed, as in a
    /// long-running engine.
    @inline(__always)
    func run(on kind: BenchSubjectKind, rounds: Int) throws(AllocError) -> [BenchRun]? {
        switch kind {
        case .system: try repeatMeasure(SystemSubject.self, rounds: rounds)
        case .cReference: try repeatMeasureReference(rounds: rounds)
        case .bump: try repeatMeasure(BumpSubject<DefaultPreset>.self, rounds: rounds)
        case .pool: try repeatMeasure(PoolSubject<DefaultPreset>.self, rounds: rounds)
        case .stack: try repeatMeasure(StackSubject<DefaultPreset>.self, rounds: rounds)
        case .bumpPerformance: try repeatMeasure(BumpSubject<PerformancePreset>.self, rounds: rounds)
        case .poolPerformance: try repeatMeasure(PoolSubject<PerformancePreset>.self, rounds: rounds)
        case .stackPerformance: try repeatMeasure(StackSubject<PerformancePreset>.self, rounds: rounds)
        case .bumpHardened: try repeatMeasure(BumpSubject<HardenedPreset>.self, rounds: rounds)
        case .concurrentBump: try repeatMeasure(ConcurrentBumpSubject.self, rounds: rounds)
        case .concurrentPool: try repeatMeasure(ConcurrentPoolSubject.self, rounds: rounds)
        case .swiftClass, .objectPool, .concurrentObjectPool, .budget,
            .budgetReserveAhead, .context, .registry:
            nil
        }
    }

    @inline(never)
    private func repeatMeasure<S: BenchSubject>(_ type: S.Type, rounds: Int) throws(AllocError) -> [BenchRun] {
        var runs: [BenchRun] = []
        if cold {
            for _ in 0..<rounds {
                var subject = try S(maxLive: maxLive, maxSize: maxSize)
                runs.append(try measure(&subject))
            }
            return runs
        }
        var subject = try S(maxLive: maxLive, maxSize: maxSize)
        _ = try measure(&subject)
        for _ in 0..<rounds { runs.append(try measure(&subject)) }
        return runs
    }
}

extension AllocationWorkload {
    /// The C reference: the workload's C twin on C allocators, with a warm-up round first
    /// (cold: a new context each round, no warm-up).
    private func repeatMeasureReference(rounds: Int) throws(AllocError) -> [BenchRun] {
        if cold {
            var runs: [BenchRun] = []
            for _ in 0..<rounds { runs += try Self.referenceRuns(self, rounds: 1, warmUp: false) }
            return runs
        }
        return try Self.referenceRuns(self, rounds: rounds, warmUp: true)
    }

    private static func referenceRuns(_ workload: Self, rounds: Int, warmUp: Bool) throws(AllocError) -> [BenchRun] {
        guard let context = cref_create(workload.maxLive, workload.maxSize) else {
            throw AllocError(.outOfMemory, "the C reference found no memory")
        }
        defer { cref_destroy(context) }
        var runs: [BenchRun] = []
        for round in (warmUp ? 0 : 1)...rounds {
            guard let result = workload.measureReference(context) else {
                throw AllocError(.arenaExhausted, "the C reference ran out of room")
            }
            if round > 0 {
                runs.append(
                    BenchRun(
                        nanoseconds: Double(result.nanoseconds), units: workload.units,
                        checksum: Int(bitPattern: UInt(result.checksum))))
            }
        }
        return runs
    }
}

/// What one run of a workload gives: the timed nanoseconds, the units done, a checksum of
/// what it allocated (consumed by the caller so that no work can be optimized away).
struct BenchRun {
    let nanoseconds: Double
    let units: Int
    let checksum: Int
}

/// Monotonic nanoseconds, straight from the vDSO.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}

/// Room for the pointers a workload must free one by one, allocated outside the timed part.
///
/// Unchecked `Sendable` for W6: each thread writes and reads only its own buffer, and the
/// buffers are freed after `concurrentPerform` has returned, which orders every access before.
struct PointerBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<UnsafeMutableRawPointer>

    /// Written through once here, so that the timed part does not take its page faults.
    init(_ count: Int) {
        base = .allocate(capacity: count)
        base.initialize(repeating: UnsafeMutableRawPointer(bitPattern: 1)!, count: count)
    }

    func free() {
        base.deallocate()
    }
}

/// W1: `count` allocations of 64 B, then free all / reset.
///
/// The 64-byte workloads touch each allocation at byte 8: a pool's free-list link is written
/// at byte 0 on free, which would let the optimizer drop a store there as dead.
struct Alloc64: AllocationWorkload {
    let count: Int
    var cold = false
    var maxLive: Int { count }
    var maxSize: Int { 64 }

    var units: Int { count }

    func measureReference(_ context: OpaquePointer) -> cref_result? {
        var result = cref_result()
        return cref_alloc64(context, count, &result) != 0 ? result : nil
    }

    @inline(__always)
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun {
        let layout = try Layout(size: 64, alignment: 8)
        let pointers = PointerBuffer(count)
        defer { pointers.free() }
        var checksum = 0
        let start = monotonicNanoseconds()
        subject.beginBatch()
        for i in 0..<count {
            let p = try subject.allocate(layout)
            p.storeBytes(of: i, toByteOffset: 8, as: Int.self)
            if S.freesEachPointer { pointers.base[i] = p }
            checksum &+= Int(bitPattern: p)
        }
        try subject.releaseBatch(pointers.base, count: count, layout)
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }
}

/// W2: `repetitions` × (100 allocations of 64 B, then release all).
struct Batch100: AllocationWorkload {
    let repetitions: Int
    var maxLive: Int { 100 }
    var maxSize: Int { 64 }

    var units: Int { repetitions }

    func measureReference(_ context: OpaquePointer) -> cref_result? {
        var result = cref_result()
        return cref_batch100(context, repetitions, &result) != 0 ? result : nil
    }

    @inline(__always)
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun {
        let layout = try Layout(size: 64, alignment: 8)
        let pointers = PointerBuffer(100)
        defer { pointers.free() }
        var checksum = 0
        let start = monotonicNanoseconds()
        for _ in 0..<repetitions {
            subject.beginBatch()
            for i in 0..<100 {
                let p = try subject.allocate(layout)
                p.storeBytes(of: i, toByteOffset: 8, as: Int.self)
                if S.freesEachPointer { pointers.base[i] = p }
                checksum &+= Int(bitPattern: p)
            }
            try subject.releaseBatch(pointers.base, count: 100, layout)
        }
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: repetitions, checksum: checksum)
    }
}

/// W3: `count` × (allocate 64 B, write, free).
struct Reuse: AllocationWorkload {
    let count: Int
    var maxLive: Int { 1 }
    var maxSize: Int { 64 }

    var units: Int { count }

    func measureReference(_ context: OpaquePointer) -> cref_result? {
        var result = cref_result()
        return cref_reuse(context, count, &result) != 0 ? result : nil
    }

    @inline(__always)
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun {
        let layout = try Layout(size: 64, alignment: 8)
        var checksum = 0
        let start = monotonicNanoseconds()
        for i in 0..<count {
            let p = try subject.allocate(layout)
            p.storeBytes(of: i, toByteOffset: 8, as: Int.self)
            checksum &+= Int(bitPattern: p)
            try subject.free(p, layout)
        }
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
    }
}

/// W4: `rounds` × (`allocations` of 64 B, then release); only the release is timed.
///
/// A reset takes a few nanoseconds, a clock read about 20: each release is bracketed by
/// clock reads, and an empty bracket measured right after it is subtracted, so the clock's
/// own cost cancels out of the sum. (Releasing several subjects per bracket instead measured
/// cache misses on their cold state, not the reset.)
struct ResetCost: AllocationWorkload {
    let rounds: Int
    let allocations: Int
    var maxLive: Int { allocations }
    var maxSize: Int { 64 }

    var units: Int { rounds }

    func measureReference(_ context: OpaquePointer) -> cref_result? {
        var result = cref_result()
        return cref_reset_cost(context, rounds, allocations, &result) != 0 ? result : nil
    }

    @inline(__always)
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun {
        let layout = try Layout(size: 64, alignment: 8)
        let pointers = PointerBuffer(allocations)
        defer { pointers.free() }
        var checksum = 0
        var timed: UInt64 = 0
        var empty: UInt64 = 0
        for _ in 0..<rounds {
            subject.beginBatch()
            for i in 0..<allocations {
                let p = try subject.allocate(layout)
                p.storeBytes(of: i, toByteOffset: 8, as: Int.self)
                if S.freesEachPointer { pointers.base[i] = p }
                checksum &+= Int(bitPattern: p)
            }
            let t0 = monotonicNanoseconds()
            try subject.releaseBatch(pointers.base, count: allocations, layout)
            let t1 = monotonicNanoseconds()
            let t2 = monotonicNanoseconds()
            timed &+= t1 &- t0
            empty &+= t2 &- t1
        }
        let nanoseconds = Swift.max(0, Double(timed) - Double(empty))
        return BenchRun(nanoseconds: nanoseconds, units: rounds, checksum: checksum)
    }
}

/// W5: allocations of the given sizes, released every 1,000.
struct Mixed: AllocationWorkload {
    let sizes: [Layout]
    var maxLive: Int { 1000 }
    var maxSize: Int { 1024 }

    /// `count` layouts with sizes uniform in 8…1024 (alignment 16), from xorshift64* seeded with 42.
    init(count: Int) {
        var state: UInt64 = 42
        sizes = (0..<count).map { _ in
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let random = state &* 0x2545_F491_4F6C_DD1D
            return try! Layout(size: 8 + Int(random % 1017), alignment: 16)
        }
    }

    var units: Int { sizes.count }

    func measureReference(_ context: OpaquePointer) -> cref_result? {
        var result = cref_result()
        return sizes.map(\.size).withUnsafeBufferPointer { cref_mixed(context, $0.baseAddress, $0.count, &result) } != 0
            ? result : nil
    }

    @inline(__always)
    func measure<S: BenchSubject>(_ subject: inout S) throws(AllocError) -> BenchRun {
        // Blocks and pointers are freed with the largest layout they may hold.
        let largest = try Layout(size: 1024, alignment: 16)
        let pointers = PointerBuffer(1000)
        defer { pointers.free() }
        var checksum = 0
        var live = 0
        let start = monotonicNanoseconds()
        try sizes.withUnsafeBufferPointer { (sizes) throws(AllocError) in
            subject.beginBatch()
            for layout in sizes {
                let p = try subject.allocate(layout)
                p.storeBytes(of: live, as: Int.self)
                checksum &+= Int(bitPattern: p)
                if S.freesEachPointer { pointers.base[live] = p }
                live += 1
                if live == 1000 {
                    try subject.releaseBatch(pointers.base, count: live, largest)
                    subject.beginBatch()
                    live = 0
                }
            }
            try subject.releaseBatch(pointers.base, count: live, largest)
        }
        return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: sizes.count, checksum: checksum)
    }
}
