import NebulaMemory
import Testing

/// Writes byte `i % 251` at offset `i` for `count` bytes.
private func writeRamp(_ pointer: UnsafeMutableRawPointer, count: Int) {
    for offset in 0..<count { pointer.storeBytes(of: UInt8(offset % 251), toByteOffset: offset, as: UInt8.self) }
}

/// Whether the first `count` bytes are those `writeRamp` wrote.
private func holdsRamp(_ pointer: UnsafeRawPointer, count: Int) -> Bool {
    (0..<count).allSatisfy { pointer.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0 % 251) }
}

private func layout(_ size: Int, _ alignment: Int = 8) -> Layout {
    try! Layout(size: size, alignment: alignment)
}

/// Every allocator of the library, made so that growing to 512 bytes fits.
enum ReallocatingKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case bump, stack, pool, concurrentBump, concurrentPool, system, budgeted

    var testDescription: String { rawValue }

    func make() throws -> any Allocator {
        switch self {
        case .bump: try BumpAllocator(capacity: 4096)
        case .stack: try StackAllocator(capacity: 4096)
        case .pool: try PoolAllocator(blockSize: 512, blockAlignment: 16, blockCount: 8)
        case .concurrentBump: try ConcurrentBumpAllocator(capacity: 4096)
        case .concurrentPool: try ConcurrentPoolAllocator(blockSize: 512, blockAlignment: 16, blockCount: 8)
        case .system: SystemAllocator.shared
        case .budgeted:
            BudgetedAllocator(
                try BumpAllocator(capacity: 4096), budget: kept(try MemoryBudget(name: "reallocate", limit: 1 << 20)))
        }
    }
}

@Suite("reallocate")
struct ReallocateTests {
    @Test(arguments: ReallocatingKind.allCases)
    func growingAndShrinkingKeepTheBytesBothLayoutsHold(kind: ReallocatingKind) throws {
        let allocator = try kind.make()
        let first = try allocator.allocate(layout(64))
        writeRamp(first, count: 64)
        let grown = try allocator.reallocate(first, from: layout(64), to: layout(512))
        #expect(holdsRamp(grown, count: 64))
        writeRamp(grown, count: 512)
        let shrunk = try allocator.reallocate(grown, from: layout(512), to: layout(32))
        #expect(holdsRamp(shrunk, count: 32))
        try allocator.deallocate(shrunk, layout: layout(32))
    }

    @Test func theNewestBumpAllocationGrowsAndShrinksInPlace() throws {
        let arena = try BumpAllocator(capacity: 4096)
        _ = try arena.allocate(layout(16))
        let newest = try arena.allocate(layout(64))
        let used = arena.used
        #expect(try arena.reallocate(newest, from: layout(64), to: layout(1000)) == newest)
        #expect(arena.used == used + 936)
        #expect(try arena.reallocate(newest, from: layout(1000), to: layout(8)) == newest)
        #expect(arena.used == used - 56)
        #expect(arena.statistics?.peakBytesInUse == used + 936, "the peak saw the growth")
    }

    @Test func anOlderBumpAllocationMovesAndItsMemoryWaitsForTheReset() throws {
        let arena = try BumpAllocator(capacity: 4096)
        let older = try arena.allocate(layout(64))
        writeRamp(older, count: 64)
        _ = try arena.allocate(layout(16))
        let used = arena.used
        let moved = try arena.reallocate(older, from: layout(64), to: layout(128))
        #expect(moved != older && holdsRamp(moved, count: 64))
        #expect(arena.used > used + 128 - 1, "the old bytes stay until the reset")
    }

    @Test func aBumpReallocationThatDoesNotFitChangesNothing() throws {
        let arena = try BumpAllocator(capacity: 256)
        let older = try arena.allocate(layout(64))
        writeRamp(older, count: 64)
        _ = try arena.allocate(layout(16))
        let used = arena.used
        expectAllocError(.arenaExhausted) { try arena.reallocate(older, from: layout(64), to: layout(4096)) }
        #expect(arena.used == used && holdsRamp(older, count: 64))
        let outside = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { outside.deallocate() }
        expectAllocError(.invalidPointer) { try arena.reallocate(outside, from: layout(64), to: layout(8)) }
        #expect(arena.used == used)
    }

    @Test(arguments: [BumpAllocator.Configuration.debug, .hardened, .init(zeroOnReset: true)])
    func checkedBumpArenasResizeToo(configuration: BumpAllocator.Configuration) throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: configuration)
        let first = try arena.allocate(layout(64))
        writeRamp(first, count: 64)
        let grown = try arena.reallocate(first, from: layout(64), to: layout(200))
        #expect(holdsRamp(grown, count: 64))
        let shrunk = try arena.reallocate(grown, from: layout(200), to: layout(16))
        #expect(holdsRamp(shrunk, count: 16))
        try arena.verifyIntegrity()
        try arena.deallocate(shrunk, layout: layout(16))
        try arena.resetVerifying()
    }

    @Test func aDamagedCanaryStopsABumpReallocation() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        let block = try arena.allocate(layout(40))
        let repair = corruptByte(block, at: 40)
        let used = arena.used
        expectHeapCorruption(offset: 0, size: 40) { try arena.reallocate(block, from: layout(40), to: layout(80)) }
        #expect(arena.used == used)
        repair()
        _ = try arena.reallocate(block, from: layout(40), to: layout(80))
    }

    @Test func theStackTopResizesInPlaceAndOnlyTheTop() throws {
        let stack = try StackAllocator(capacity: 4096)
        let below = try stack.allocate(layout(32))
        let top = try stack.allocate(layout(64))
        writeRamp(top, count: 64)
        let marker = stack.mark()
        #expect(try stack.reallocate(top, from: layout(64), to: layout(256)) == top)
        #expect(holdsRamp(top, count: 64))
        expectAllocError(.invalidState) { try stack.release(to: marker) }
        let used = stack.used
        expectAllocError(.lifoViolation) { try stack.reallocate(below, from: layout(32), to: layout(64)) }
        expectAllocError(.invalidPointer) { try stack.reallocate(top, from: layout(64), to: layout(128)) }
        expectAllocError(.arenaExhausted) { try stack.reallocate(top, from: layout(256), to: layout(8192)) }
        #expect(stack.used == used && holdsRamp(top, count: 64))
        try stack.deallocate(top, layout: layout(256))
        try stack.deallocate(below, layout: layout(32))
        #expect(stack.used == 0)
    }

    @Test func aLargerAlignmentMovesTheStackTopWithItsBytes() throws {
        let stack = try StackAllocator(capacity: 4096, configuration: .hardened)
        _ = try stack.allocate(layout(3, 1))
        let top = try stack.allocate(layout(100, 8))
        writeRamp(top, count: 100)
        let moved = try stack.reallocate(top, from: layout(100, 8), to: layout(100, 256))
        #expect(Int(bitPattern: moved) % 256 == 0)
        #expect(holdsRamp(moved, count: 100))
        try stack.verifyIntegrity()
        let back = try stack.reallocate(moved, from: layout(100, 256), to: layout(40, 8))
        #expect(holdsRamp(back, count: 40))
        try stack.verifyIntegrity()
        try stack.deallocate(back, layout: layout(40, 8))
        try stack.resetVerifying()
    }

    @Test(arguments: BlockPoolKind.allCases)
    func aPoolBlockResizesInPlaceWithinItsBlock(kind: BlockPoolKind) throws {
        let pool = try kind.make(blockSize: 64, blockAlignment: 16, blockCount: 4, configuration: .hardened)
        let block = try pool.allocate(layout(16))
        #expect(try pool.reallocate(block, from: layout(16), to: layout(64, 16)) == block)
        let before = PoolSnapshot(pool)
        expectAllocError(.invalidLayout) { try pool.reallocate(block, from: layout(64), to: layout(65)) }
        let freed = try pool.allocate(layout(8))
        try pool.deallocate(freed, layout: layout(8))
        let snapshot = PoolSnapshot(pool)
        expectAllocError(.invalidPointer) { try pool.reallocate(freed, from: layout(8), to: layout(16)) }
        expectAllocError(.invalidPointer) { try pool.reallocate(block + 1, from: layout(8), to: layout(16)) }
        #expect(PoolSnapshot(pool) == snapshot)
        let repair = corruptByte(block, at: 64)
        expectHeapCorruption(offset: 0, size: 64) { try pool.reallocate(block, from: layout(64), to: layout(32)) }
        repair()
        #expect(before.usedBlockCount == pool.usedBlockCount)
    }

    @Test func aBudgetedReallocationChargesTheGrowthAndRefundsTheShrinkage() throws {
        let budget = kept(try MemoryBudget(name: "reallocate", limit: 1000))
        let allocator = BudgetedAllocator(try BumpAllocator(capacity: 8192), budget: budget)
        let block = try allocator.allocate(layout(100))
        let grown = try allocator.reallocate(block, from: layout(100), to: layout(600))
        #expect(budget.used == 600 && allocator.chargedBytes == 600)
        expectAllocError(.budgetExceeded) { try allocator.reallocate(grown, from: layout(600), to: layout(2000)) }
        #expect(budget.used == 600)
        _ = try allocator.reallocate(grown, from: layout(600), to: layout(50))
        #expect(budget.used == 50 && allocator.chargedBytes == 50)
    }

    @Test func theDefaultMovesAndGivesTheNewMemoryBackWhenTheOldIsRefused() throws {
        let allocator = RefusingAllocator()
        let block = try allocator.allocate(layout(32))
        writeRamp(block, count: 32)
        let moved = try allocator.reallocate(block, from: layout(32), to: layout(64))
        #expect(moved != block && holdsRamp(moved, count: 32))
        allocator.refuse = true
        expectAllocError(.invalidPointer) { try allocator.reallocate(moved, from: layout(64), to: layout(128)) }
        #expect(allocator.live == [moved], "the new memory went back; the old is still held")
    }
}

/// An allocator on `malloc` that can be told to refuse every deallocation but of memory it
/// just handed out, and records what is live.
private final class RefusingAllocator: Allocator {
    var refuse = false
    private(set) var live: Set<UnsafeMutableRawPointer> = []
    private var newest: UnsafeMutableRawPointer?

    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let pointer = try SystemAllocator.shared.allocate(layout)
        live.insert(pointer)
        newest = pointer
        return pointer
    }

    func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        guard !refuse || pointer == newest else {
            throw AllocError(.invalidPointer, "refused", layout: layout, allocatorKind: .system)
        }
        live.remove(pointer)
        try SystemAllocator.shared.deallocate(pointer, layout: layout)
    }

    deinit {
        for pointer in live { pointer.deallocate() }
    }
}
