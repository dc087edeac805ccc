import NebulaMemory
import Testing

@Suite("BudgetedAllocator")
struct BudgetedAllocatorTests {
    @Test func allocationsAreChargedAndDeallocationsRefunded() throws {
        let (root, _, leaf) = try makeHierarchy()
        let allocator = BudgetedAllocator(SystemAllocator.shared, budget: leaf)
        let ids = try allocator.allocate(UInt64.self, count: 16)
        #expect(root.used == 128)
        #expect(allocator.chargedBytes == 128)
        ids.initialize(repeating: 7, count: 16)
        try allocator.deallocate(ids, count: 16)
        #expect(root.used == 0)
        #expect(allocator.chargedBytes == 0)
    }

    @Test func denialAllocatesNothing() throws {
        let (root, _, leaf) = try makeHierarchy()
        let arena = BudgetedAllocator(try BumpAllocator(capacity: 4096), budget: leaf)
        let error = #expect(throws: AllocError.self) { try arena.allocate(Layout(size: 401, alignment: 8)) }
        #expect(error?.code == .budgetExceeded)
        #expect(arena.base.used == 0)
        #expect(root.used == 0)
        #expect(arena.chargedBytes == 0)
    }

    @Test func failureOfTheBaseRefundsTheCharge() throws {
        let root = try MemoryBudget(name: "engine", limit: 1 << 20)
        let arena = BudgetedAllocator(try BumpAllocator(capacity: 64), budget: root)
        let error = #expect(throws: AllocError.self) { try arena.allocate(Layout(size: 128, alignment: 8)) }
        #expect(error?.code == .arenaExhausted)
        #expect(root.used == 0)
        #expect(root.statistics.reservations == 1)
        #expect(arena.chargedBytes == 0)
    }

    @Test func rejectedDeallocationRefundsNothing() throws {
        let root = try MemoryBudget(name: "engine", limit: 1 << 20)
        let pool = BudgetedAllocator(try PoolAllocator(blockSize: 32, blockCount: 4), budget: root)
        let block = try pool.allocate(Layout(size: 32, alignment: 8))
        try pool.deallocate(block, layout: Layout(size: 32, alignment: 8))
        #expect(throws: AllocError.self) { try pool.deallocate(block, layout: Layout(size: 32, alignment: 8)) }
        #expect(root.used == 0)
        #expect(pool.chargedBytes == 0)
    }

    @Test func resetRefundsEverythingCharged() throws {
        let (root, mid, leaf) = try makeHierarchy()
        let arena = BudgetedAllocator(try BumpAllocator(capacity: 4096), budget: leaf)
        _ = try arena.allocate(Int32.self, count: 10)
        _ = try arena.create("http-request")
        #expect(root.used == 40 + MemoryLayout<String>.size)
        try arena.reset()
        #expect([root.used, mid.used, leaf.used] == [0, 0, 0])
        #expect(arena.base.used == 0)
        _ = try arena.allocate(UInt8.self, count: 400)
        #expect(leaf.used == 400)
    }

    @Test func createIsChargedAndDeniedLikeAllocate() throws {
        let root = try MemoryBudget(name: "engine", limit: 8)
        let arena = BudgetedAllocator(try BumpAllocator(capacity: 4096), budget: root)
        let value = try arena.create(UInt64(42))
        #expect(value.pointee == 42)
        #expect(root.used == 8)
        let error = #expect(throws: AllocError.self) { try arena.create(UInt8(1)) }
        #expect(error?.code == .budgetExceeded)
        #expect(root.used == 8)
        #expect(arena.base.used == 8)
    }

    @Test func createAndTypedDeallocateOfAPaddedTypeLeaveNothingCharged() throws {
        #expect(MemoryLayout<PaddedPOD>.size == 9)
        #expect(MemoryLayout<PaddedPOD>.stride == 16)
        let (root, mid, leaf) = try makeHierarchy()
        let allocator = BudgetedAllocator(SystemAllocator.shared, budget: leaf)
        for round in 0..<10 {
            let value = try allocator.create(PaddedPOD(value: Int64(round), flag: true))
            #expect(value.pointee == PaddedPOD(value: Int64(round), flag: true))
            #expect(allocator.chargedBytes == 16)
            #expect([root.charged, mid.charged, leaf.charged] == [16, 16, 16])
            value.deinitialize(count: 1)
            try allocator.deallocate(value, count: 1)
            #expect(allocator.chargedBytes == 0)
            #expect([root.charged, mid.charged, leaf.charged] == [0, 0, 0])
        }
    }

    @Test func droppedAllocatorRefundsWhatIsStillCharged() throws {
        let (root, mid, leaf) = try makeHierarchy()
        do {
            let arena = BudgetedAllocator(try BumpAllocator(capacity: 4096), budget: leaf)
            _ = try arena.allocate(UInt8.self, count: 100)
            _ = try arena.create(PaddedPOD(value: 1, flag: false))
            #expect(arena.chargedBytes == 116)
            #expect([root.charged, mid.charged, leaf.charged] == [116, 116, 116])
        }
        #expect([root.charged, mid.charged, leaf.charged] == [0, 0, 0])
        #expect(leaf.statistics.reservations == 2)
    }
}
