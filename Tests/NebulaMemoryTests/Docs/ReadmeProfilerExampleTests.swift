import NebulaMemory
import Testing

/// The allocation profiler example of README.md, kept compiling and correct.
@Suite("README profiler example")
struct ReadmeProfilerExampleTests {
    @Test func profilingAnArena() async throws {
        try await ProfilerGate.run(Self.example)
    }

    private static func example() throws {
        let arena = try BumpAllocator(capacity: 1 << 16)
        let line = UInt(#line + 4)
        // The README's lines:
        try AllocationProfiler.start(sampleInterval: 64 * 1024)
        for _ in 0..<1000 {
            let buffer = try arena.allocate(UInt8.self, count: 4096)  // attributed to this line
            try arena.deallocate(buffer, count: 4096)
        }
        AllocationProfiler.stop()
        let profile = AllocationProfiler.profile()  // Codable
        let table = profile.text(top: 10)  // top sites by live bytes and by total bytes
        let stacks = profile.foldedStacks()  // for flamegraph.pl, inferno or speedscope

        let site = try #require(profile.entries.first { $0.site.file == "\(#fileID)" && $0.site.line == line })
        // About 62 samples: 4 096 000 bytes within 50 % is many standard deviations wide.
        #expect(abs(site.bytes - 4_096_000) < 2_048_000, "\(site.bytes)")
        #expect(site.liveBytes == 0)
        #expect(table.contains("\(#fileID):\(line)"))
        #expect(stacks.contains("nebula-memory;bump;\(#fileID):\(line) \(site.bytes)\n"))
    }
}
