import NebulaMemory
import Synchronization
import Testing

// The bad-input cases of the thread-safe allocators, tried from one thread.

/// A 16-byte, 8-aligned layout: what the deallocation cases allocate.
private let block16 = try! Layout(size: 16, alignment: 8)

// MARK: - ConcurrentBumpAllocator

/// An arena of 64 KiB holding two 16-byte allocations: (older, newest).
private func concurrentArenaWithTwoAllocations() throws -> (
    ConcurrentBumpAllocator, UnsafeMutableRawPointer, UnsafeMutableRawPointer
) {
    let arena = try ConcurrentBumpAllocator(capacity: 64 * 1024)
    return (arena, try arena.allocate(block16), try arena.allocate(block16))
}

let concurrentBumpCases: [BadInputCase] = [
    BadInputCase("ConcurrentBumpAllocator", "`init(capacity: 0)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try ConcurrentBumpAllocator(capacity: 0) }
    },
    BadInputCase("ConcurrentBumpAllocator", "`init(capacity: -1)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try ConcurrentBumpAllocator(capacity: -1) }
    },
    BadInputCase("ConcurrentBumpAllocator", "`threadBufferSize: -1`", .error(.invalidConfiguration)) { probe in
        await probe.attempt {
            _ = try ConcurrentBumpAllocator(capacity: 1024, configuration: .init(threadBufferSize: -1))
        }
    },
    BadInputCase(
        "ConcurrentBumpAllocator", "`.chunked(chunkSize: 0, maxCapacity: 4096)`", .error(.invalidConfiguration)
    ) { probe in
        await probe.attempt {
            _ = try ConcurrentBumpAllocator(
                capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 0, maxCapacity: 4096)))
        }
    },
    BadInputCase(
        "ConcurrentBumpAllocator", "`.chunked` with `maxCapacity` below `capacity`", .error(.invalidConfiguration)
    ) { probe in
        await probe.attempt {
            _ = try ConcurrentBumpAllocator(
                capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 512, maxCapacity: 512)))
        }
    },
    BadInputCase("ConcurrentBumpAllocator", "allocate 128 KiB from a 64 KiB arena", .error(.arenaExhausted)) { probe in
        let (arena, _, _) = try concurrentArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.allocate(Layout(size: 128 * 1024))
        }
    },
    BadInputCase("ConcurrentBumpAllocator", "deallocate a pointer of another arena", .error(.invalidPointer)) { probe in
        let (arena, _, _) = try concurrentArenaWithTwoAllocations()
        let (other, _, foreign) = try concurrentArenaWithTwoAllocations()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(foreign, layout: block16) }
    },
    BadInputCase("ConcurrentBumpAllocator", "deallocate a misaligned pointer (newest + 1)", .error(.invalidPointer)) {
        probe in
        let (arena, _, newest) = try concurrentArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            try arena.deallocate(newest + 1, layout: block16)
        }
    },
    BadInputCase("ConcurrentBumpAllocator", "deallocate the newest allocation twice", .error(.invalidPointer)) {
        probe in
        let (arena, _, newest) = try concurrentArenaWithTwoAllocations()
        try arena.deallocate(newest, layout: block16)
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(newest, layout: block16) }
    },
    BadInputCase(
        "ConcurrentBumpAllocator", "deallocate a large allocation (carved from the arena) twice",
        .error(.invalidPointer)
    ) { probe in
        let arena = try ConcurrentBumpAllocator(capacity: 64 * 1024)
        let large = try Layout(size: 8192, alignment: 8)
        let pointer = try arena.allocate(large)
        try arena.deallocate(pointer, layout: large)
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(pointer, layout: large) }
    },
    BadInputCase("ConcurrentBumpAllocator", "`reallocate` a pointer of another arena", .error(.invalidPointer)) {
        probe in
        let (arena, _, _) = try concurrentArenaWithTwoAllocations()
        let (other, _, foreign) = try concurrentArenaWithTwoAllocations()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.reallocate(foreign, from: block16, to: Layout(size: 32))
        }
    },
    BadInputCase(
        "ConcurrentBumpAllocator", "deallocate the newest with a larger size (32 for 16)", .error(.invalidPointer)
    ) { probe in
        let (arena, _, newest) = try concurrentArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            try arena.deallocate(newest, layout: Layout(size: 32, alignment: 8))
        }
    },
    BadInputCase("ConcurrentBumpAllocator", "restore a checkpoint of another arena", .error(.invalidState)) { probe in
        let (arena, _, _) = try concurrentArenaWithTwoAllocations()
        let other = try ConcurrentBumpAllocator(capacity: 1024)
        let foreign = try other.checkpoint()
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: foreign) }
    },
    BadInputCase(
        "ConcurrentBumpAllocator", "restore a checkpoint invalidated by restoring an older one",
        .error(.invalidState)
    ) { probe in
        let arena = try ConcurrentBumpAllocator(capacity: 64 * 1024)
        let older = try arena.checkpoint()
        _ = try arena.allocate(block16)
        let newer = try arena.checkpoint()
        _ = try arena.allocate(block16)
        try arena.restore(to: older)
        _ = try arena.allocate(Layout(size: 64))
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: newer) }
    },
    BadInputCase("ConcurrentBumpAllocator", "restore a checkpoint invalidated by `reset()`", .error(.invalidState)) {
        probe in
        let arena = try ConcurrentBumpAllocator(capacity: 64 * 1024)
        _ = try arena.allocate(block16)
        let point = try arena.checkpoint()
        try arena.reset()
        _ = try arena.allocate(Layout(size: 64))
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: point) }
    },
    // A refused scope is tried inside an allocation, where the arena's lock is held and its
    // state cannot be read: the state to compare with is that of a twin arena that ran the
    // same allocations and tried no scope.
    BadInputCase(
        "ConcurrentBumpAllocator", "`withScope` opened while an allocation is under way (`detectConcurrentMisuse`)",
        .error(.concurrentAccess)
    ) { probe in
        let twin = try arena(calling: GrowthHook())
        grow(twin)
        let hook = GrowthHook()
        let arena = try arena(calling: hook)
        let failure = Mutex<AllocError?>(nil)
        hook.set {
            do throws(ScopeFailure<Never>) {
                try arena.withScope { _ in }
            } catch {
                failure.withLock { $0 = error.allocError }
            }
        }
        grow(arena)
        return probe.record(before: twin.observedState, after: arena.observedState, error: failure.withLock { $0 })
    },
    BadInputCase(
        "ConcurrentBumpAllocator",
        "`withScope` closed while an allocation is under way (`detectConcurrentMisuse`; nothing is freed)",
        .error(.concurrentAccess)
    ) { probe in
        let twin = try arena(calling: GrowthHook())
        _ = try twin.allocate(block16)
        grow(twin)
        let hook = GrowthHook()
        let arena = try arena(calling: hook)
        var held: HeldAllocation?
        var failure: AllocError?
        do throws(ScopeFailure<Never>) {
            try arena.withScope { scratch in
                _ = try? scratch.allocate(block16)
                held = HeldAllocation(on: arena, hook: hook)
            }
        } catch {
            failure = error.allocError
        }
        held?.finish()
        return probe.record(before: twin.observedState, after: arena.observedState, error: failure)
    },
]

// MARK: - ConcurrentPoolAllocator

/// A pool of 64 blocks of 64 bytes with two handed out (large enough for thread caches).
private func concurrentPoolWithTwoBlocks() throws -> (
    ConcurrentPoolAllocator, UnsafeMutableRawPointer, UnsafeMutableRawPointer
) {
    let pool = try ConcurrentPoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: 64)
    return (pool, try pool.allocateBlock(), try pool.allocateBlock())
}

let concurrentPoolCases: [BadInputCase] = [
    BadInputCase("ConcurrentPoolAllocator", "`blockSize: 0`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try ConcurrentPoolAllocator(blockSize: 0, blockCount: 4) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`blockAlignment: 24` (not a power of two)", .error(.invalidConfiguration))
    { probe in
        await probe.attempt { _ = try ConcurrentPoolAllocator(blockSize: 64, blockAlignment: 24, blockCount: 4) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`blockAlignment: 8192` (above one page)", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt { _ = try ConcurrentPoolAllocator(blockSize: 64, blockAlignment: 8192, blockCount: 4) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`blockCount: -1`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try ConcurrentPoolAllocator(blockSize: 64, blockCount: -1) }
    },
    BadInputCase(
        "ConcurrentPoolAllocator", "`.growing(maxBlockCount:)` below `blockCount`", .error(.invalidConfiguration)
    ) { probe in
        await probe.attempt {
            _ = try ConcurrentPoolAllocator(
                blockSize: 64, blockCount: 8, configuration: .init(growth: .growing(maxBlockCount: 4)))
        }
    },
    BadInputCase("ConcurrentPoolAllocator", "`allocateBlock()` with every block in use", .error(.poolExhausted)) {
        probe in
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 2)
        _ = try pool.allocateBlock()
        _ = try pool.allocateBlock()
        return await probe.attempt(observing: pool.observedState) { _ = try pool.allocateBlock() }
    },
    BadInputCase("ConcurrentPoolAllocator", "`allocate` a layout larger than a block", .error(.invalidLayout)) {
        probe in
        let (pool, _, _) = try concurrentPoolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) { _ = try pool.allocate(Layout(size: 65)) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`allocate` a layout more aligned than a block", .error(.invalidLayout)) {
        probe in
        let (pool, _, _) = try concurrentPoolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.allocate(Layout(size: 16, alignment: 64))
        }
    },
    BadInputCase("ConcurrentPoolAllocator", "`deallocateBlock` a block of another pool", .error(.invalidPointer)) {
        probe in
        let (pool, _, _) = try concurrentPoolWithTwoBlocks()
        let (other, _, foreign) = try concurrentPoolWithTwoBlocks()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(foreign) }
    },
    BadInputCase(
        "ConcurrentPoolAllocator", "`deallocateBlock` a misaligned pointer (block + 1)", .error(.invalidPointer)
    ) { probe in
        let (pool, _, block) = try concurrentPoolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block + 1) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`deallocateBlock` a block twice", .error(.doubleFree)) { probe in
        let (pool, _, block) = try concurrentPoolWithTwoBlocks()
        try pool.deallocateBlock(block)
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase(
        "ConcurrentPoolAllocator", "`deallocateBlock` a block handed out before `reset()`", .error(.doubleFree)
    ) { probe in
        let (pool, _, block) = try concurrentPoolWithTwoBlocks()
        pool.reset()
        _ = try pool.allocateBlock()
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`reallocate` to a layout larger than a block", .error(.invalidLayout)) {
        probe in
        let (pool, _, block) = try concurrentPoolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.reallocate(block, from: block16, to: Layout(size: 128))
        }
    },
    BadInputCase("ConcurrentPoolAllocator", "`reallocate` a freed block", .error(.invalidPointer)) { probe in
        let (pool, older, _) = try concurrentPoolWithTwoBlocks()
        try pool.deallocateBlock(older)
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.reallocate(older, from: block16, to: Layout(size: 8))
        }
    },
    BadInputCase(
        "ConcurrentPoolAllocator", "`deallocateBlock` a block written one byte past its end (`.hardened`)",
        .error(.invalidState)
    ) { probe in
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 8, configuration: .hardened)
        let block = try pool.allocateBlock()
        block.storeBytes(of: ~block.load(fromByteOffset: 32, as: UInt8.self), toByteOffset: 32, as: UInt8.self)
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase("ConcurrentPoolAllocator", "`deallocate` with a layout larger than a block", .error(.invalidLayout)) {
        probe in
        let (pool, _, block) = try concurrentPoolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            try pool.deallocate(block, layout: Layout(size: 128))
        }
    },
]
