import Foundation
import NebulaMemory
import Synchronization
import Testing

/// The profile of this file's call sites only: other suites may allocate while a test here has
/// the process-wide profiler on.
private func ownProfile() -> AllocationProfile {
    let profile = AllocationProfiler.profile()
    return AllocationProfile(
        sampleInterval: profile.sampleInterval, entries: profile.entries.filter { $0.site.file == ownFile })
}

private let ownFile = "\(#fileID)"

private func entry(line: UInt, in profile: AllocationProfile) -> AllocationProfile.Entry? {
    profile.entries.first { $0.site.line == line }
}

private func within(_ estimate: Int, tenPercentOf truth: Int) -> Bool {
    abs(Double(estimate) - Double(truth)) <= 0.1 * Double(truth)
}

@Suite("AllocationProfiler", .serialized)
struct AllocationProfilerTests {
    /// 10⁶ allocations of mixed sizes from two sites, sampled 1 in 16 KiB: each site's
    /// estimated bytes and count are within 10 % of the truth (about 5 standard deviations for
    /// the counts of the small site, far more for the rest).
    @Test func estimatesAreWithinTenPercent() async throws {
        try await ProfilerGate.run(Self.sampleMixedSizes)
    }

    /// The workload of `estimatesAreWithinTenPercent`, and its checks.
    private static func sampleMixedSizes() throws {
        let arena = try BumpAllocator(capacity: 1 << 20)
        var random = SeededGenerator(seed: 42)
        var trueBytes: [UInt: Int] = [:]
        var trueCount: [UInt: Int] = [:]
        try AllocationProfiler.start(sampleInterval: 16 * 1024, seed: 7)
        for _ in 0..<500_000 {
            let small = Int.random(in: 8...256, using: &random)
            let line = UInt(#line + 1)
            let p = try arena.allocate(UInt8.self, count: small)
            try arena.deallocate(p, count: small)
            trueBytes[line, default: 0] += small
            trueCount[line, default: 0] += 1
            let large = Int.random(in: 1024...4096, using: &random)
            let line2 = UInt(#line + 1)
            let q = try arena.allocate(UInt8.self, count: large)
            try arena.deallocate(q, count: large)
            trueBytes[line2, default: 0] += large
            trueCount[line2, default: 0] += 1
        }
        AllocationProfiler.stop()
        let profile = ownProfile()
        #expect(profile.entries.count == 2)
        for (line, bytes) in trueBytes {
            let site = try #require(entry(line: line, in: profile))
            #expect(site.site.allocator == .bump)
            #expect(within(site.bytes, tenPercentOf: bytes), "line \(line): \(site.bytes) for \(bytes) bytes")
            #expect(
                within(site.count, tenPercentOf: trueCount[line]!),
                "line \(line): \(site.count) for \(trueCount[line]!) allocations")
            #expect(site.liveBytes == 0)
        }
        #expect(within(profile.bytes, tenPercentOf: trueBytes.values.reduce(0, +)))
        #expect(within(profile.count, tenPercentOf: 1_000_000))
    }

    /// With an interval of 1 byte every allocation is sampled and weighs its own size: the
    /// live bytes drop by what is freed, the totals stay.
    @Test func liveBytesDropWhenSampledAllocationsAreFreed() async throws {
        try await ProfilerGate.run {
            let pool = try PoolAllocator(blockSize: 64, blockCount: 128)
            try AllocationProfiler.start(sampleInterval: 1, seed: 1)
            var blocks: [UnsafeMutablePointer<UInt64>] = []
            let line = UInt(#line + 1)
            for _ in 0..<100 { blocks.append(try pool.allocate(UInt64.self, count: 8)) }
            var site = try #require(entry(line: line, in: ownProfile()))
            #expect(site.site.allocator == .pool)
            #expect(site.samples == 100)
            #expect(site.liveBytes == 6400)
            #expect(site.liveCount == 100)
            for block in blocks.prefix(40) { try pool.deallocate(block, count: 8) }
            site = try #require(entry(line: line, in: ownProfile()))
            #expect(site.liveBytes == 60 * 64)
            #expect(site.liveCount == 60)
            #expect(site.bytes == 6400)
            // Freed while off: not seen, so the bytes stay live.
            AllocationProfiler.stop()
            for block in blocks.dropFirst(40) { try pool.deallocate(block, count: 8) }
            #expect(entry(line: line, in: ownProfile())?.liveBytes == 60 * 64)
        }
    }

    /// Sites rank by total bytes, and by live bytes (sites holding none left out).
    @Test func topSitesAreOrdered() async throws {
        try await ProfilerGate.run {
            let system = SystemAllocator.shared
            try AllocationProfiler.start(sampleInterval: 1, seed: 3)
            var kept: [UnsafeMutablePointer<UInt8>] = []
            var lines: [UInt] = []
            for _ in 0..<10 {
                lines.append(#line + 1)
                let freed = try system.allocate(UInt8.self, count: 1024)
                try system.deallocate(freed, count: 1024)
                lines.append(#line + 1)
                kept.append(try system.allocate(UInt8.self, count: 64))
            }
            for _ in 0..<5 {
                lines.append(#line + 1)
                kept.append(try system.allocate(UInt8.self, count: 256))
            }
            defer { for (index, p) in kept.enumerated() { try? system.deallocate(p, count: index < 10 ? 64 : 256) } }
            let (freedLine, smallLine, midLine) = (lines[0], lines[1], lines[20])
            let profile = ownProfile()
            #expect(profile.topByBytes(10).map(\.site.line) == [freedLine, midLine, smallLine])
            #expect(profile.topByBytes(2).map(\.site.line) == [freedLine, midLine])
            #expect(profile.topByLiveBytes(10).map(\.site.line) == [midLine, smallLine])
            #expect(profile.topByBytes(10).map(\.bytes) == [10240, 1280, 640])
            #expect(profile.topByBytes(0).isEmpty)
            let text = profile.text(top: 2)
            #expect(text.contains("top 2 sites by live bytes"))
            #expect(text.contains("\(ownFile):\(midLine)"))
            #expect(text.hasPrefix("allocation profile: 25 samples, 1 in 1 bytes\n"))
        }
    }

    /// Folded stacks: `root;allocator;file:line bytes` per site, what flame-graph tools read.
    @Test func foldedStacksHaveTheFlameGraphFormat() async throws {
        try await ProfilerGate.run {
            let arena = try BumpAllocator(capacity: 4096)
            let stack = try StackAllocator(capacity: 4096)
            try AllocationProfiler.start(sampleInterval: 1, seed: 1)
            let arenaLine = #line + 1
            _ = try arena.allocate(UInt64.self, count: 8)
            let stackLine = #line + 1
            let frame = try stack.allocate(UInt32.self, count: 4)
            try stack.deallocate(frame, count: 4)
            let folded = ownProfile().foldedStacks()
            #expect(
                folded
                    == "nebula-memory;bump;\(ownFile):\(arenaLine) 64\nnebula-memory;stack;\(ownFile):\(stackLine) 16\n"
            )
            #expect(ownProfile().foldedStacks(root: "engine", live: true) == "engine;bump;\(ownFile):\(arenaLine) 64\n")
            for line in AllocationProfiler.profile().foldedStacks().split(separator: "\n") {
                #expect(line.wholeMatch(of: /[^; ]+(;[^; ]+)+ [0-9]+/) != nil, "\(line)")
            }
        }
    }

    /// start, stop and reset: off records nothing, stop keeps the profile, reset empties it, a
    /// second start changes the interval and keeps the records.
    @Test func startStopAndReset() async throws {
        try await ProfilerGate.run {
            let system = SystemAllocator.shared
            #expect(!AllocationProfiler.isActive)
            try AllocationProfiler.start(sampleInterval: 1, seed: 5)
            #expect(AllocationProfiler.isActive)
            #expect(AllocationProfiler.sampleInterval == 1)
            let p = try system.allocate(UInt64.self, count: 2)
            try system.deallocate(p, count: 2)
            AllocationProfiler.stop()
            #expect(!AllocationProfiler.isActive)
            #expect(ownProfile().samples == 1)
            let q = try system.allocate(UInt64.self, count: 2)
            try system.deallocate(q, count: 2)
            #expect(ownProfile().samples == 1)
            try AllocationProfiler.start(sampleInterval: 1, seed: 5)
            let r = try system.allocate(UInt64.self, count: 2)
            try system.deallocate(r, count: 2)
            #expect(ownProfile().samples == 2)
            try AllocationProfiler.start(sampleInterval: 1 << 40, seed: 5)
            #expect(AllocationProfiler.sampleInterval == 1 << 40)
            #expect(ownProfile().samples == 2)
            AllocationProfiler.reset()
            #expect(ownProfile().entries.isEmpty)
            #expect(AllocationProfiler.isActive)
        }
    }

    /// A sample interval that is not positive is refused with a typed error, the profiler unchanged.
    @Test(arguments: [0, -1, Int.min])
    func nonPositiveIntervalIsRefused(interval: Int) async throws {
        try await ProfilerGate.run {
            try AllocationProfiler.start(sampleInterval: 4096, seed: 1)
            let error = expectAllocError(.invalidConfiguration) {
                try AllocationProfiler.start(sampleInterval: interval, seed: 2)
            }
            #expect(error?.message.contains("sample interval \(interval)") == true)
            #expect(AllocationProfiler.isActive)
            #expect(AllocationProfiler.sampleInterval == 4096)
        }
    }

    /// Off, the typed API records nothing, on any allocator.
    @Test func offPathRecordsNothing() async throws {
        try await ProfilerGate.run {
            let arena = try BumpAllocator(capacity: 1 << 16)
            let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 16)
            for _ in 0..<1000 {
                let a = try arena.allocate(UInt8.self, count: 48)
                try arena.deallocate(a, count: 48)
                let b = try pool.allocate(UInt64.self, count: 8)
                try pool.deallocate(b, count: 8)
            }
            #expect(AllocationProfiler.profile().entries.isEmpty)
        }
    }

    /// The profile round-trips through JSON.
    @Test func profileIsCodable() async throws {
        try await ProfilerGate.run {
            try AllocationProfiler.start(sampleInterval: 1, seed: 1)
            let budgeted = BudgetedAllocator(SystemAllocator.shared, budget: try MemoryBudget(name: "b", limit: 1024))
            let p = try budgeted.allocate(UInt32.self, count: 3)
            let profile = ownProfile()
            try budgeted.deallocate(p, count: 3)
            #expect(profile.entries.map(\.site.allocator) == [.budgeted])
            let decoded = try JSONDecoder().decode(AllocationProfile.self, from: JSONEncoder().encode(profile))
            #expect(decoded == profile)
        }
    }

    /// Two threads allocate and free on a shared pool while a third reads the profile: the
    /// estimates hold and nothing stays live.
    @Test func concurrentSamplingOnTwoThreads() async throws {
        try await ProfilerGate.run {
            let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 256)
            let perThread = 20_000
            let failures = Atomic<Int>(0)
            let line = UInt(#line + 5)
            try AllocationProfiler.start(sampleInterval: 256, seed: 9)
            runOnThreads(3) { worker in
                if worker < 2 {
                    for _ in 0..<perThread {
                        guard let p = try? pool.allocate(UInt64.self, count: 8) else {
                            failures.add(1, ordering: .relaxed)
                            continue
                        }
                        p.pointee = 1
                        if (try? pool.deallocate(p, count: 8)) == nil { failures.add(1, ordering: .relaxed) }
                    }
                } else {
                    for _ in 0..<50 { _ = AllocationProfiler.profile().foldedStacks() }
                }
            }
            AllocationProfiler.stop()
            #expect(failures.load(ordering: .relaxed) == 0)
            let site = try #require(entry(line: line, in: ownProfile()))
            #expect(site.site.allocator == .concurrentPool)
            #expect(within(site.count, tenPercentOf: 2 * perThread), "\(site.count)")
            #expect(site.liveBytes == 0)
        }
    }
}
