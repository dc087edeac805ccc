import Dispatch
import NebulaMemory
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Helpers shared by the tests of the thread-safe allocators

/// A counter that threads share.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)

    @discardableResult
    func increment(by amount: Int = 1) -> Int {
        value.add(amount, ordering: .acquiringAndReleasing).newValue
    }

    /// Reading with `acquiring` also orders everything the incrementing threads did before.
    var current: Int { value.load(ordering: .acquiring) }
}

/// A flag one thread raises and others poll.
final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func raise() {
        value.store(true, ordering: .releasing)
    }

    var isRaised: Bool { value.load(ordering: .acquiring) }
}

/// A value behind a lock made of one atomic flag. Not `Mutex`: on Linux its contended path
/// hands the lock over in the kernel, where ThreadSanitizer cannot see the ordering.
final class Locked<Value: Sendable>: @unchecked Sendable {
    // Safe to share: `value` is only touched while `held` is set by the toucher.
    private let held = Atomic<Bool>(false)
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        while !held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            sched_yield()
        }
        defer { held.store(false, ordering: .releasing) }
        return try body(&value)
    }
}

/// Named counts that workers add to once, when they finish.
final class Tally: Sendable {
    private let counts = Locked<[String: Int]>([:])

    func add(_ key: String, _ amount: Int = 1) {
        counts.withLock { $0[key, default: 0] += amount }
    }

    subscript(key: String) -> Int { counts.withLock { $0[key, default: 0] } }
}

/// Values that workers deposit, each under its own index, for the test to read after they end.
final class Deposits<Value: Sendable>: Sendable {
    private let values = Locked<[Int: Value]>([:])

    func store(_ value: Value, at index: Int) {
        values.withLock { $0[index] = value }
    }

    /// The deposits ordered by index.
    var all: [Value] { values.withLock { dict in dict.keys.sorted().map { dict[$0]! } } }
}

/// Lets `parties` threads start each round together: a spin barrier on one counter (for raw
/// threads only: spinning tasks could starve the cooperative pool).
final class SpinBarrier: Sendable {
    private let arrivals = Atomic<Int>(0)
    let parties: Int

    init(parties: Int) {
        self.parties = parties
    }

    /// Arrives for round `round` (0, 1, …) and waits until every party has arrived.
    func arriveAndWait(round: Int) {
        arrivals.add(1, ordering: .acquiringAndReleasing)
        let target = parties * (round + 1)
        var spins = 0
        while arrivals.load(ordering: .acquiring) < target {
            spins += 1
            if spins % 64 == 0 { sched_yield() }
        }
    }
}

/// The ids of the `SharedDeinitCounter`s deinitialized so far, on any thread.
final class SharedDeinitLog: Sendable {
    private let entries = Locked<[Int]>([])

    func record(_ id: Int) {
        entries.withLock { $0.append(id) }
    }

    var ids: [Int] { entries.withLock { $0 } }
}

/// A class instance that tasks may create in an arena: records its deinit in a `SharedDeinitLog`.
final class SharedDeinitCounter: Sendable {
    let id: Int
    let log: SharedDeinitLog

    init(_ id: Int, log: SharedDeinitLog) {
        self.id = id
        self.log = log
    }

    deinit {
        log.record(id)
    }
}

/// The work of one POSIX thread, handed over through the thread's context pointer.
private final class ThreadWork {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}

private func runThreadWork(_ context: UnsafeMutableRawPointer?) {
    Unmanaged<ThreadWork>.fromOpaque(context!).takeRetainedValue().body()
}

/// Runs `body(0)`, …, `body(count - 1)` on `count` new POSIX threads at once and joins them.
///
/// Raw threads, not tasks: they may spin-wait for each other, and their slots in the
/// allocators are released when they exit.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    #if canImport(Darwin)
    var threads: [pthread_t?] = []
    #else
    var threads: [pthread_t] = []
    #endif
    for index in 0..<count {
        let work = Unmanaged.passRetained(ThreadWork { body(index) }).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(
            &thread, nil,
            { context in
                runThreadWork(context)
                return nil
            }, work)
        precondition(status == 0, "pthread_create failed with \(status)")
        threads.append(thread)
    }
    for thread in threads {
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
    }
}

/// The tag a worker writes into its `index`-th block: distinct for every (worker, index).
func blockTag(worker: Int, index: Int, round: Int = 0) -> UInt64 {
    UInt64(truncatingIfNeeded: round) << 48 | UInt64(truncatingIfNeeded: worker) << 32
        | UInt64(truncatingIfNeeded: index)
}

/// Writes `tag` into every 8-byte word of the `size` bytes at `pointer`.
func stamp(_ pointer: UnsafeMutableRawPointer, size: Int, tag: UInt64) {
    for word in 0..<size / 8 {
        pointer.storeBytes(of: tag, toByteOffset: word * 8, as: UInt64.self)
    }
}

/// Whether every 8-byte word of the `size` bytes at `pointer` still holds `tag`.
func holdsStamp(_ pointer: UnsafeRawPointer, size: Int, tag: UInt64) -> Bool {
    (0..<size / 8).allSatisfy { pointer.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) == tag }
}

/// Memory a worker filled with one byte, recorded by address so that it can leave the worker.
struct StampedRegion: Sendable {
    let address: Int
    let size: Int
    let byte: UInt8

    init(filling pointer: UnsafeMutableRawPointer, size: Int, byte: UInt8) {
        pointer.initializeMemory(as: UInt8.self, repeating: byte, count: size)
        address = Int(bitPattern: pointer)
        self.size = size
        self.byte = byte
    }
}

/// Checks that every region still holds its byte and that no two regions overlap.
func expectIntactAndDisjoint(_ regions: [StampedRegion], sourceLocation: SourceLocation = #_sourceLocation) {
    var overwritten = 0
    for region in regions
    where !allBytes(UnsafeRawPointer(bitPattern: region.address)!, count: region.size, equal: region.byte) {
        overwritten += 1
    }
    #expect(
        overwritten == 0, "\(overwritten) of \(regions.count) regions were overwritten", sourceLocation: sourceLocation)
    let sorted = regions.filter { $0.size > 0 }.sorted { $0.address < $1.address }
    var overlaps = 0
    for (lower, upper) in zip(sorted, sorted.dropFirst()) where lower.address + lower.size > upper.address {
        overlaps += 1
    }
    #expect(overlaps == 0, "\(overlaps) regions overlap their successor", sourceLocation: sourceLocation)
}

/// Uses any allocator through the protocol only: raw memory, typed memory and `create`.
/// Returns how many of the checks on the memory held (4 when all did).
func roundTrip<A: Allocator>(_ allocator: A, layout: Layout) throws -> Int {
    var passed = 0
    let raw = try allocator.allocate(layout)
    if Int(bitPattern: raw) % layout.alignment == 0 { passed += 1 }
    raw.initializeMemory(as: UInt8.self, repeating: 0x5A, count: layout.size)
    if allBytes(raw, count: layout.size, equal: 0x5A) { passed += 1 }
    try allocator.deallocate(raw, layout: layout)
    let words = try allocator.allocate(UInt32.self, count: 4)
    words.initialize(from: [1, 2, 3, 4], count: 4)
    if Array(UnsafeBufferPointer(start: words, count: 4)) == [1, 2, 3, 4] { passed += 1 }
    try allocator.deallocate(words, count: 4)
    let value = try allocator.create(Int64(-42))
    if value.pointee == -42 { passed += 1 }
    try allocator.deallocate(value)
    return passed
}

/// Runs `roundTrip` from `tasks` tasks at once: compiles only for a `Sendable` allocator.
func roundTripFromTasks<A: Allocator & Sendable>(_ allocator: A, tasks: Int, layout: Layout) async throws -> [Int] {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<tasks {
            group.addTask { try roundTrip(allocator, layout: layout) }
        }
        var results: [Int] = []
        for try await passed in group { results.append(passed) }
        return results
    }
}

/// What a worker took from an allocator: the addresses it got and the errors it saw.
struct Harvest: Sendable {
    var worker: Int
    var addresses: [Int] = []
    var errors: [AllocError.Code] = []
}

// MARK: - Stress

@Suite("Concurrent allocators under stress")
struct ConcurrentStressTests {
    /// The most blocks other threads' caches may hold back, as `ConcurrentPoolAllocator`
    /// documents: threads × 2 × cache size (a cache holds up to 256 blocks, a sixteenth of
    /// the pool, none under 32 blocks).
    static func cacheSlack(threads: Int, blockCount: Int) -> Int {
        threads * 2 * Swift.min(256, blockCount / 16)
    }

    @Test func poolStressOnThreadsThenEveryBlockComesBack() throws {
        let workers = 8
        let perWorker = 4096
        let peak = workers * perWorker
        let blockCount = peak + Self.cacheSlack(threads: workers, blockCount: peak)
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: blockCount)
        #expect(pool.blockCount == blockCount)
        let tally = Tally()
        let finished = SharedCounter()
        for round in 0..<2 {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var blocks: [UnsafeMutableRawPointer] = []
                blocks.reserveCapacity(perWorker)
                for index in 0..<perWorker {
                    guard let block = try? pool.allocateBlock() else {
                        tally.add("allocation failures")
                        break
                    }
                    if Int(bitPattern: block) % 16 != 0 { tally.add("misaligned") }
                    stamp(block, size: 64, tag: blockTag(worker: worker, index: index, round: round))
                    blocks.append(block)
                }
                for (index, block) in blocks.enumerated()
                where !holdsStamp(block, size: 64, tag: blockTag(worker: worker, index: index, round: round)) {
                    tally.add("overwritten")
                }
                for block in blocks {
                    do { try pool.deallocateBlock(block) } catch { tally.add("free failures") }
                }
                tally.add("allocated", blocks.count)
                finished.increment()
            }
            #expect(finished.current == workers * (round + 1))
            #expect(tally["allocation failures"] == 0, "round \(round)")
            #expect(tally["allocated"] == peak * (round + 1))
            #expect(tally["overwritten"] == 0)
            #expect(tally["misaligned"] == 0)
            #expect(tally["free failures"] == 0)
            #expect(pool.usedBlockCount == 0)
            #expect(pool.freeBlockCount == blockCount)
        }
        let statistics = try #require(pool.statistics)
        #expect(statistics.allocations == 2 * peak)
        #expect(statistics.deallocations == 2 * peak)
        #expect(statistics.failedAllocations == 0)

        // One thread now: only blocks in the other threads' caches may be out of its reach.
        var blocks: [UnsafeMutableRawPointer] = []
        while let block = try? pool.allocateBlock() { blocks.append(block) }
        #expect(blocks.count >= blockCount - Self.cacheSlack(threads: workers, blockCount: blockCount))
        #expect(Set(blocks).count == blocks.count)
        #expect(pool.usedBlockCount == blocks.count)
        for block in blocks { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)

        // A reset voids every cache: then one thread gets every single block.
        pool.reset()
        var all: Set<UnsafeMutableRawPointer> = []
        while let block = try? pool.allocateBlock() { all.insert(block) }
        #expect(all.count == blockCount)
        #expect(pool.freeBlockCount == 0)
    }

    @Test func poolStressInATaskGroupWithFreesFromOtherTasks() async throws {
        let tasks = 16
        let perTask = 2000
        let peak = tasks * perTask
        let blockCount = peak + Self.cacheSlack(threads: tasks, blockCount: peak)
        let pool = try ConcurrentPoolAllocator(blockSize: 48, blockAlignment: 16, blockCount: blockCount)
        let taken = try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var addresses: [Int] = []
                    for index in 0..<perTask {
                        let block = try pool.allocateBlock()
                        stamp(block, size: 48, tag: blockTag(worker: task, index: index))
                        addresses.append(Int(bitPattern: block))
                    }
                    return (task, addresses)
                }
            }
            var taken = [[Int]](repeating: [], count: tasks)
            for try await (task, addresses) in group { taken[task] = addresses }
            return taken
        }
        #expect(Set(taken.joined()).count == peak, "a block was handed out twice")
        #expect(pool.usedBlockCount == peak)
        // Every task checks and frees the blocks of the next one.
        let overwritten = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    let owner = (task + 1) % tasks
                    var overwritten = 0
                    for (index, address) in taken[owner].enumerated() {
                        let block = UnsafeMutableRawPointer(bitPattern: address)!
                        if !holdsStamp(block, size: 48, tag: blockTag(worker: owner, index: index)) { overwritten += 1 }
                        try pool.deallocateBlock(block)
                    }
                    return overwritten
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(overwritten == 0)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == pool.blockCount)
        #expect(pool.blockCount == blockCount)
        let statistics = try #require(pool.statistics)
        #expect(statistics.allocations == peak)
        #expect(statistics.deallocations == peak)
        #expect(statistics.bytesInUse == 0)
    }

    @Test func poolChurnInATaskGroupKeepsEveryLiveBlockIntact() async throws {
        let tasks = 8
        let operations = 20_000
        let maxLive = 48
        let blockCount = 8192
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockAlignment: 8, blockCount: blockCount)
        try #require(tasks * maxLive + Self.cacheSlack(threads: tasks, blockCount: blockCount) <= blockCount)
        let results = try await withThrowingTaskGroup(of: (allocations: Int, overwritten: Int).self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(task) &+ 0xC0FFEE)
                    var live: [(block: UnsafeMutableRawPointer, tag: UInt64)] = []
                    var allocations = 0
                    var overwritten = 0
                    for step in 0..<operations {
                        if live.isEmpty || (live.count < maxLive && Bool.random(using: &generator)) {
                            let block = try pool.allocateBlock()
                            let tag = blockTag(worker: task, index: step)
                            stamp(block, size: 32, tag: tag)
                            live.append((block, tag))
                            allocations += 1
                        } else {
                            let (block, tag) = live.remove(at: Int.random(in: 0..<live.count, using: &generator))
                            if !holdsStamp(block, size: 32, tag: tag) { overwritten += 1 }
                            try pool.deallocateBlock(block)
                        }
                    }
                    for (block, tag) in live {
                        if !holdsStamp(block, size: 32, tag: tag) { overwritten += 1 }
                        try pool.deallocateBlock(block)
                    }
                    return (allocations, overwritten)
                }
            }
            var all: [(allocations: Int, overwritten: Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        let total = results.map(\.allocations).reduce(0, +)
        #expect(results.map(\.overwritten).reduce(0, +) == 0)
        #expect(total >= tasks * operations / 2)
        let statistics = try #require(pool.statistics)
        #expect(statistics.allocations == total)
        #expect(statistics.deallocations == total)
        #expect(statistics.failedAllocations == 0)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == blockCount)
    }

    @Test func bumpStressOnThreadsNeverSharesMemory() throws {
        let workers = 8
        let perWorker = 10_000
        let arena = try ConcurrentBumpAllocator(
            capacity: 1 << 18, configuration: .init(growth: .chunked(chunkSize: 1 << 18, maxCapacity: 64 << 20)))
        let tally = Tally()
        let regions = Deposits<[StampedRegion]>()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var generator = SeededGenerator(seed: UInt64(worker) &* 7919)
            var blocks: [(pointer: UnsafeMutableRawPointer, size: Int)] = []
            blocks.reserveCapacity(perWorker)
            for index in 0..<perWorker {
                let size = 8 * Int.random(in: 1...24, using: &generator)
                let alignment = 1 << Int.random(in: 3...6, using: &generator)
                guard let pointer = try? arena.allocate(Layout(size: size, alignment: alignment)) else {
                    tally.add("allocation failures")
                    break
                }
                if Int(bitPattern: pointer) % alignment != 0 { tally.add("misaligned") }
                stamp(pointer, size: size, tag: blockTag(worker: worker, index: index))
                blocks.append((pointer, size))
            }
            for (index, block) in blocks.enumerated()
            where !holdsStamp(block.pointer, size: block.size, tag: blockTag(worker: worker, index: index)) {
                tally.add("overwritten")
            }
            // Keep a sample for the cross-thread overlap check.
            let sample = blocks.prefix(200).enumerated().map {
                StampedRegion(filling: $1.pointer, size: $1.size, byte: patternByte(worker * 200 + $0))
            }
            regions.store(sample, at: worker)
            tally.add("allocated", blocks.count)
        }
        #expect(regions.all.count == workers)
        #expect(tally["allocation failures"] == 0)
        #expect(tally["misaligned"] == 0)
        #expect(tally["overwritten"] == 0)
        #expect(tally["allocated"] == workers * perWorker)
        expectIntactAndDisjoint(Array(regions.all.joined()))
        let statistics = try #require(arena.statistics)
        #expect(statistics.allocations == workers * perWorker)
        #expect(statistics.failedAllocations == 0)
        #expect(arena.used > 0)
        #expect(arena.capacity <= 64 << 20)
        try arena.reset()
        #expect(arena.used == 0)
        #expect(arena.capacity == 1 << 18)
        #expect(arena.statistics?.resets == 1)
    }

    @Test func bumpDeallocationsFromManyTasksAreAcceptedAndReclaimNothingLive() async throws {
        // Threads free their allocations out of order (not the newest) while others allocate
        // next to them: every free is accepted, and no live allocation is disturbed.
        let tasks = 8
        let perTask = 10_000
        let arena = try ConcurrentBumpAllocator(
            capacity: 4 << 20, configuration: .init(threadBufferSize: 256))
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    let layout = try Layout(size: 32, alignment: 8)
                    var live: [(pointer: UnsafeMutableRawPointer, tag: UInt64)] = []
                    var overwritten = 0
                    for index in 0..<perTask {
                        let pointer = try arena.allocate(layout)
                        let tag = blockTag(worker: task, index: index)
                        stamp(pointer, size: 32, tag: tag)
                        live.append((pointer, tag))
                        if live.count > 4 {
                            let (oldest, oldTag) = live.removeFirst()
                            if !holdsStamp(oldest, size: 32, tag: oldTag) { overwritten += 1 }
                            try arena.deallocate(oldest, layout: layout)
                        }
                    }
                    for (pointer, tag) in live where !holdsStamp(pointer, size: 32, tag: tag) { overwritten += 1 }
                    return overwritten
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(results == 0)
        let statistics = try #require(arena.statistics)
        #expect(statistics.allocations == tasks * perTask)
        #expect(statistics.deallocations == tasks * (perTask - 4))
        try arena.reset()
        #expect(arena.used == 0)
    }
}
