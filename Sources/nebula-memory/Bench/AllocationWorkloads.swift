#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NebulaMemory

/// Monotonic nanoseconds, straight from the vDSO.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}

/// The 64-byte, 8-aligned layout of W1–W4.
let layout64 = try! Layout(size: 64, alignment: 8)
/// The largest layout of W5: pool blocks and stack frames are sized for it.
let layout1024 = try! Layout(size: 1024, alignment: 16)

/// Runs `once` for `rounds` timed rounds on one subject, after an untimed warm-up round: the
/// memory is then touched, and the C allocator's free lists primed, as in a long-running engine.
@inline(__always)
func measureRounds<S: BenchSubject>(
    _ subject: inout S, _ rounds: Int, _ once: (inout S) throws(AllocError) -> BenchRun
) throws(AllocError) -> [BenchRun] {
    _ = try once(&subject)
    var runs: [BenchRun] = []
    for _ in 0..<rounds { runs.append(try once(&subject)) }
    return runs
}

/// W1: `count` allocations of 64 B, then free all / reset.
func alloc64<S: BenchSubject>(_ subject: inout S, count: Int) throws(AllocError) -> BenchRun {
    let pointers = PointerBuffer(count)
    defer { pointers.free() }
    var checksum = 0
    let start = monotonicNanoseconds()
    subject.beginBatch()
    for i in 0..<count {
        let p = try subject.allocate(layout64)
        p.storeBytes(of: i, as: Int.self)
        if S.freesEachPointer { pointers.base[i] = p }
        checksum &+= Int(bitPattern: p)
    }
    try subject.releaseBatch(pointers.base, count: count, layout64)
    return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
}

/// W2: `repetitions` × (100 allocations of 64 B, then release all).
func batch100<S: BenchSubject>(_ subject: inout S, repetitions: Int) throws(AllocError) -> BenchRun {
    let pointers = PointerBuffer(100)
    defer { pointers.free() }
    var checksum = 0
    let start = monotonicNanoseconds()
    for _ in 0..<repetitions {
        subject.beginBatch()
        for i in 0..<100 {
            let p = try subject.allocate(layout64)
            p.storeBytes(of: i, as: Int.self)
            if S.freesEachPointer { pointers.base[i] = p }
            checksum &+= Int(bitPattern: p)
        }
        try subject.releaseBatch(pointers.base, count: 100, layout64)
    }
    return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: repetitions, checksum: checksum)
}

/// W3: `count` × (allocate 64 B, write, free).
func reuse<S: BenchSubject>(_ subject: inout S, count: Int) throws(AllocError) -> BenchRun {
    var checksum = 0
    let start = monotonicNanoseconds()
    for i in 0..<count {
        let p = try subject.allocate(layout64)
        p.storeBytes(of: i, as: Int.self)
        checksum &+= Int(bitPattern: p)
        try subject.free(p, layout64)
    }
    return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: count, checksum: checksum)
}

/// W4: `rounds` × (`allocations` of 64 B, then release); only the release is timed.
///
/// Each release is bracketed by clock reads; an empty bracket measured right after it is
/// subtracted, so the clock's own cost (about 20 ns) does not swamp a few-nanosecond reset.
func resetCost<S: BenchSubject>(_ subject: inout S, rounds: Int, allocations: Int) throws(AllocError) -> BenchRun {
    let pointers = PointerBuffer(allocations)
    defer { pointers.free() }
    var checksum = 0
    var timed: UInt64 = 0
    var empty: UInt64 = 0
    for _ in 0..<rounds {
        subject.beginBatch()
        for i in 0..<allocations {
            let p = try subject.allocate(layout64)
            p.storeBytes(of: i, as: Int.self)
            if S.freesEachPointer { pointers.base[i] = p }
            checksum &+= Int(bitPattern: p)
        }
        let t0 = monotonicNanoseconds()
        try subject.releaseBatch(pointers.base, count: allocations, layout64)
        let t1 = monotonicNanoseconds()
        let t2 = monotonicNanoseconds()
        timed &+= t1 &- t0
        empty &+= t2 &- t1
    }
    return BenchRun(nanoseconds: Swift.max(0, Double(timed) - Double(empty)), units: rounds, checksum: checksum)
}

/// `count` layouts with sizes uniform in 8…1024 (alignment 16) from xorshift64* seeded with 42.
func mixedSizes(count: Int) -> [Layout] {
    var state: UInt64 = 42
    return (0..<count).map { _ in
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let random = state &* 0x2545_F491_4F6C_DD1D
        return try! Layout(size: 8 + Int(random % 1017), alignment: 16)
    }
}

/// W5: allocations of the given sizes, released every 1,000.
func mixed<S: BenchSubject>(_ subject: inout S, sizes: [Layout]) throws(AllocError) -> BenchRun {
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
                // Pool blocks and system pointers are freed with the largest layout they may hold.
                try subject.releaseBatch(pointers.base, count: live, layout1024)
                subject.beginBatch()
                live = 0
            }
        }
        try subject.releaseBatch(pointers.base, count: live, layout1024)
    }
    return BenchRun(nanoseconds: Double(monotonicNanoseconds() - start), units: sizes.count, checksum: checksum)
}

/// What one run of a workload gives: the timed nanoseconds, the units done, a checksum of
/// what it allocated (consumed by the caller so that no work can be optimized away).
struct BenchRun {
    let nanoseconds: Double
    let units: Int
    let checksum: Int
}

/// Room for the pointers a workload must free one by one, allocated outside the timed part.
struct PointerBuffer {
    let base: UnsafeMutablePointer<UnsafeMutableRawPointer>

    init(_ count: Int) {
        base = .allocate(capacity: count)
    }

    func free() {
        base.deallocate()
    }
}
