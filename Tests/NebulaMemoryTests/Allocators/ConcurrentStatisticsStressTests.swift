import Dispatch
import NebulaMemory
import Testing

/// Counts stay exact while two threads allocate at once (run under ThreadSanitizer too).
@Suite("Concurrent statistics under stress")
struct ConcurrentStatisticsStressTests {
    static let perThread = 20_000

    /// Thread `worker`'s request `index`: sizes differ per thread so that each class's count is known.
    static func size(worker: Int, index: Int) -> Int { worker == 0 ? 16 + index % 16 : 100 + index % 28 }

    @Test func concurrentBumpCountsEveryRequestOfTwoThreads() throws {
        let arena = try ConcurrentBumpAllocator(
            capacity: 1 << 22, configuration: .init(growth: .chunked(chunkSize: 1 << 22, maxCapacity: 1 << 26)))
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in 0..<Self.perThread {
                _ = try? arena.allocate(Layout(size: Self.size(worker: worker, index: index), alignment: 8))
                if index % 1000 == 0 { _ = try? arena.allocate(Layout(size: 1 << 27, alignment: 8)) }
            }
        }
        let statistics = try #require(arena.statistics)
        #expect(statistics.sizeClasses == SizeClassHistogram(requests: [16: Self.perThread, 100: Self.perThread]))
        #expect(statistics.allocations == 2 * Self.perThread)
        #expect(statistics.failures == [.arenaExhausted: 2 * Self.perThread / 1000])
    }

    @Test func systemAllocatorCountsEveryRequestOfTwoThreads() throws {
        let system = SystemAllocator(trackStatistics: true)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in 0..<Self.perThread {
                let layout = Layout(_size: Self.size(worker: worker, index: index))
                if let pointer = try? system.allocate(layout) { try? system.deallocate(pointer, layout: layout) }
            }
        }
        let statistics = try #require(system.statistics)
        #expect(statistics.sizeClasses == SizeClassHistogram(requests: [16: Self.perThread, 100: Self.perThread]))
        #expect(statistics.deallocations == 2 * Self.perThread)
        #expect(statistics.bytesInUse == 0)
    }

    @Test func concurrentPoolCountsEveryRequestOfTwoThreads() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 128, blockCount: 1024)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in 0..<Self.perThread {
                let layout = Layout(_size: Self.size(worker: worker, index: index))
                if let block = try? pool.allocate(layout) { try? pool.deallocate(block, layout: layout) }
                if index % 1000 == 0 { _ = try? pool.allocate(Layout(_size: 129)) }
            }
        }
        let statistics = try #require(pool.statistics)
        #expect(statistics.sizeClasses == SizeClassHistogram(requests: [16: Self.perThread, 100: Self.perThread]))
        #expect(statistics.allocations == 2 * Self.perThread)
        #expect(statistics.deallocations == 2 * Self.perThread)
        #expect(statistics.failures == [.invalidLayout: 2 * Self.perThread / 1000])
    }
}

extension Layout {
    /// An 8-byte aligned layout of `size` bytes, for sizes known to be valid.
    fileprivate init(_size size: Int) {
        // swift-format-ignore: NeverUseForceTry
        self = try! Layout(size: size, alignment: 8)
    }
}
