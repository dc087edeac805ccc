import NebulaMemory
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every bad input the library is tried with, per public API, and the matrix of outcomes in
/// docs/BAD-INPUTS.md (see BadInputMatrix.swift for the machinery).
@Suite("BadInputMatrix")
struct BadInputMatrixTests {
    @Test(arguments: badInputCases)
    func badInputGetsItsErrorAndLeavesTheStateUnchanged(_ badInput: BadInputCase) async {
        let outcome = await badInput.perform()
        let record = {
            for problem in outcome.problems {
                Issue.record("\(badInput.api), \(badInput.input): \(problem)")
            }
        }
        if let knownIssue = badInput.knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue)) { record() }
        } else {
            record()
        }
    }

    /// All cases run in order and rendered.
    private func renderMatrix() async -> String {
        var outcomes: [BadInputOutcome] = []
        for badInput in badInputCases {
            outcomes.append(await badInput.perform())
        }
        return BadInputMatrix.render(outcomes, untried: untriedBadInputs)
    }

    @Test func documentIsUpToDate() async throws {
        let rendered = await renderMatrix()
        // No address, timing or order of completion may reach the text: a second run renders it alike.
        #expect(await renderMatrix() == rendered, "the rendering is not deterministic")
        let path = BadInputMatrix.documentPath()
        if let update = getenv(BadInputMatrix.updateVariable), String(cString: update) == "1" {
            #expect(BadInputMatrix.write(rendered, to: path), "could not write \(path)")
            return
        }
        let checkedIn = try #require(
            BadInputMatrix.read(path),
            "\(path) is missing; create it with `\(BadInputMatrix.regenerateCommand)` and commit it")
        // Not an #expect on the two texts: it would print both documents whole.
        if checkedIn != rendered {
            Issue.record(
                """
                \(BadInputMatrix.documentName) is out of date: regenerate it with \
                `\(BadInputMatrix.regenerateCommand)`, review the difference and commit it.
                First difference, \(BadInputMatrix.firstDifference(checkedIn, rendered))
                """)
        }
    }

    @Test func renderingShowsChangedStateAndUnexpectedOutcomes() {
        let changed = BadInputCase("Example", "a | b", .error(.doubleFree), knownIssue: "to be fixed.") { _ in nil }
        let outcome = BadInputOutcome(
            badInput: changed, error: nil, before: ObservedState(["used": 0, "count": 1]),
            after: ObservedState(["used": 16, "count": 1]), problems: [])
        let text = BadInputMatrix.render([outcome], untried: ["Example": "something else."])
        #expect(text.contains("## Example"))
        #expect(text.contains("| a \\| b | **no error** | **no**: used 0 → 16 |"))
        #expect(text.contains("Known issue: to be fixed.\nNot tried: something else."))
        #expect(text.contains(BadInputMatrix.regenerateCommand))
    }

    @Test func documentPathIsTheRepositorysDocsFolder() {
        let path = BadInputMatrix.documentPath(testFile: "/repo/Tests/NebulaMemoryTests/BadInputs/File.swift")
        #expect(path == "/repo/docs/BAD-INPUTS.md")
        #expect(repositoryRoot(of: "/a/Tests/b/Tests/NebulaMemoryTests/File.swift") == "/a/Tests/b")
    }

    @Test func aCaseThatMissesItsExpectationReportsWhy() async {
        let wrongCode = BadInputCase("Layout", "negative size", .error(.sizeOverflow)) { probe in
            await probe.attempt { _ = try Layout(size: -1) }
        }
        let wrongCodeOutcome = await wrongCode.perform()
        #expect(wrongCodeOutcome.problems.count == 1)
        #expect(wrongCodeOutcome.problems.first?.contains("ALLOC_INVALID_LAYOUT") == true)

        let stateChanged = BadInputCase("BumpAllocator", "allocate, then throw", .error(.invalidState)) { probe in
            let arena = try BumpAllocator(capacity: 64)
            return await probe.attempt(observing: arena.observedState) {
                _ = try arena.allocate(Layout(size: 16))
                throw AllocError(.invalidState, "after the change")
            }
        }
        let stateOutcome = await stateChanged.perform()
        #expect(stateOutcome.problems.contains { $0.contains("changed the state: used 0 → 16") })
        #expect(stateOutcome.stateCell.hasPrefix("**no**: used 0 → 16"))

        let noAttempt = BadInputCase("Layout", "nothing", .error(.invalidLayout)) { _ in nil }
        let noAttemptOutcome = await noAttempt.perform()
        #expect(noAttemptOutcome.problems.contains { $0.contains("0 attempts") })
    }
}

/// The cases, in the order of the document.
let badInputCases: [BadInputCase] =
    layoutCases + bumpCases + stackCases + poolCases + systemAllocatorCases + concurrentBumpCases
    + concurrentPoolCases + objectPoolCases + budgetCases + systemCases + observabilityCases + profilerCases

/// Bad inputs the matrix cannot try, with the reason, shown under their API's table.
let untriedBadInputs: KeyValuePairs<String, String> = [
    "SystemAllocator":
        "deallocating a foreign, misaligned or already-freed pointer. `free` cannot tell them from valid "
        + "pointers: the type documents them as undefined behaviour.",
    "PoolAllocator":
        "bad frees with `validatePointers: false` (the `.performance` preset), which documents that they "
        + "corrupt the pool.",
    "ConcurrentPoolAllocator":
        "bad frees with `validatePointers: false` (the `.performance` preset), which documents that they "
        + "corrupt the pool.",
    "ObjectPool": "returning an object twice. `Pooled` is noncopyable: the compiler rejects a second return.",
    "ConcurrentObjectPool": "returning an object twice. `Pooled` is noncopyable: the compiler rejects a second return.",
    "AsyncObjectPool": "returning an object twice. `Pooled` is noncopyable: the compiler rejects a second return.",
    "Reservation": "releasing twice. `Reservation` is noncopyable and `release()` consumes it.",
]

/// A 16-byte, 8-aligned layout: what the deallocation cases allocate.
private let block16 = try! Layout(size: 16, alignment: 8)

// MARK: - Layout

private let layoutCases: [BadInputCase] = [
    BadInputCase("Layout", "`Layout(size: -1)`", .error(.invalidLayout)) { probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: -1) }
    },
    BadInputCase("Layout", "`Layout(size: 8, alignment: 0)`", .error(.invalidAlignment)) { probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: 8, alignment: 0) }
    },
    BadInputCase("Layout", "`Layout(size: 8, alignment: 3)` (not a power of two)", .error(.invalidAlignment)) {
        probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: 8, alignment: 3) }
    },
    BadInputCase("Layout", "`Layout(size: 8, alignment: 24)` (not a power of two)", .error(.invalidAlignment)) {
        probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: 8, alignment: 24) }
    },
    BadInputCase("Layout", "`Layout(size: 8, alignment: -8)`", .error(.invalidAlignment)) { probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: 8, alignment: -8) }
    },
    BadInputCase("Layout", "`Layout(size: 8, alignment: 8192)` (above one page)", .error(.invalidAlignment)) {
        probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: 8, alignment: 8192) }
    },
    BadInputCase("Layout", "`Layout(size: Int.max, alignment: 16)` (padding overflows)", .error(.sizeOverflow)) {
        probe in
        await probe.attempt("a value, no instance") { _ = try Layout(size: .max, alignment: 16) }
    },
    BadInputCase("Layout", "`Layout.array(of: Int64.self, count: -1)`", .error(.invalidLayout)) { probe in
        await probe.attempt("a value, no instance") { _ = try Layout.array(of: Int64.self, count: -1) }
    },
    BadInputCase("Layout", "`Layout.array(of: Int64.self, count: Int.max / 4)` (overflow)", .error(.sizeOverflow)) {
        probe in
        await probe.attempt("a value, no instance") { _ = try Layout.array(of: Int64.self, count: .max / 4) }
    },
]

// MARK: - BumpAllocator

/// An arena of 1 KiB holding two 16-byte allocations: (older, newest).
private func bumpArenaWithTwoAllocations() throws -> (BumpAllocator, UnsafeMutableRawPointer, UnsafeMutableRawPointer) {
    let arena = try BumpAllocator(capacity: 1024)
    return (arena, try arena.allocate(block16), try arena.allocate(block16))
}

private let bumpCases: [BadInputCase] = [
    BadInputCase("BumpAllocator", "`init(capacity: 0)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try BumpAllocator(capacity: 0) }
    },
    BadInputCase("BumpAllocator", "`init(capacity: -1)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try BumpAllocator(capacity: -1) }
    },
    BadInputCase("BumpAllocator", "`init(capacity: Int.max)` (more than the system has)", .error(.outOfMemory)) {
        probe in
        await probe.attempt { _ = try BumpAllocator(capacity: .max) }
    },
    BadInputCase("BumpAllocator", "`.chunked(chunkSize: 0, maxCapacity: 4096)`", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt {
            _ = try BumpAllocator(
                capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 0, maxCapacity: 4096)))
        }
    },
    BadInputCase("BumpAllocator", "`.chunked` with `maxCapacity` below `capacity`", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt {
            _ = try BumpAllocator(
                capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 512, maxCapacity: 512)))
        }
    },
    BadInputCase("BumpAllocator", "allocate 1 KiB with 512 bytes left (fixed arena)", .error(.arenaExhausted)) {
        probe in
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 512))
        return await probe.attempt(observing: arena.observedState) { _ = try arena.allocate(Layout(size: 1024)) }
    },
    BadInputCase("BumpAllocator", "allocate past `maxCapacity` of a chunked arena", .error(.arenaExhausted)) { probe in
        let arena = try BumpAllocator(
            capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 1024, maxCapacity: 2048)))
        _ = try arena.allocate(Layout(size: 512))
        return await probe.attempt(observing: arena.observedState) { _ = try arena.allocate(Layout(size: 3000)) }
    },
    BadInputCase("BumpAllocator", "deallocate a pointer of another arena", .error(.invalidPointer)) { probe in
        let (arena, _, _) = try bumpArenaWithTwoAllocations()
        let (other, _, foreign) = try bumpArenaWithTwoAllocations()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(foreign, layout: block16) }
    },
    BadInputCase("BumpAllocator", "deallocate a misaligned pointer (newest + 1)", .error(.invalidPointer)) { probe in
        let (arena, _, newest) = try bumpArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            try arena.deallocate(newest + 1, layout: block16)
        }
    },
    BadInputCase("BumpAllocator", "deallocate the newest allocation twice", .error(.invalidPointer)) { probe in
        let (arena, _, newest) = try bumpArenaWithTwoAllocations()
        try arena.deallocate(newest, layout: block16)
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(newest, layout: block16) }
    },
    BadInputCase(
        "BumpAllocator", "deallocate an older allocation twice",
        .noError("accepted, as every free of an older allocation: an arena reclaims it only at reset or restore")
    ) { probe in
        let (arena, older, _) = try bumpArenaWithTwoAllocations()
        try arena.deallocate(older, layout: block16)
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(older, layout: block16) }
    },
    BadInputCase("BumpAllocator", "deallocate the newest with a larger size (32 for 16)", .error(.invalidPointer)) {
        probe in
        let (arena, _, newest) = try bumpArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            try arena.deallocate(newest, layout: Layout(size: 32, alignment: 8))
        }
    },
    BadInputCase("BumpAllocator", "`reallocate` a pointer of another arena", .error(.invalidPointer)) { probe in
        let (arena, _, _) = try bumpArenaWithTwoAllocations()
        let (other, _, foreign) = try bumpArenaWithTwoAllocations()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.reallocate(foreign, from: block16, to: Layout(size: 32))
        }
    },
    BadInputCase("BumpAllocator", "`reallocate` the older allocation to 2 KiB (fixed arena)", .error(.arenaExhausted)) {
        probe in
        let (arena, older, _) = try bumpArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.reallocate(older, from: block16, to: Layout(size: 2048))
        }
    },
    BadInputCase("BumpAllocator", "`reallocate` the newest claiming `Int.max` bytes", .error(.invalidPointer)) {
        probe in
        let (arena, _, newest) = try bumpArenaWithTwoAllocations()
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.reallocate(newest, from: Layout(size: .max, alignment: 1), to: block16)
        }
    },
    BadInputCase("BumpAllocator", "restore a checkpoint of another arena", .error(.invalidState)) { probe in
        let (arena, _, _) = try bumpArenaWithTwoAllocations()
        let other = try BumpAllocator(capacity: 1024)
        let foreign = other.checkpoint()
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: foreign) }
    },
    BadInputCase(
        "BumpAllocator", "restore a checkpoint invalidated by restoring an older one", .error(.invalidState)
    ) { probe in
        let arena = try BumpAllocator(capacity: 1024)
        let older = arena.checkpoint()
        _ = try arena.allocate(block16)
        let newer = arena.checkpoint()
        _ = try arena.allocate(block16)
        try arena.restore(to: older)
        _ = try arena.allocate(Layout(size: 64))
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: newer) }
    },
    BadInputCase("BumpAllocator", "restore a checkpoint invalidated by `reset()`", .error(.invalidState)) { probe in
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(block16)
        let point = arena.checkpoint()
        arena.reset()
        _ = try arena.allocate(Layout(size: 64))
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: point) }
    },
    BadInputCase(
        "BumpAllocator", "restore a checkpoint twice",
        .noError("a restored checkpoint stays valid, and restoring it again changes nothing")
    ) { probe in
        let arena = try BumpAllocator(capacity: 1024)
        let point = arena.checkpoint()
        _ = try arena.allocate(block16)
        try arena.restore(to: point)
        return await probe.attempt(observing: arena.observedState) { try arena.restore(to: point) }
    },
]

// MARK: - StackAllocator

/// A stack of 1 KiB holding two 16-byte allocations: (older, newest).
private func stackWithTwoAllocations() throws -> (StackAllocator, UnsafeMutableRawPointer, UnsafeMutableRawPointer) {
    let stack = try StackAllocator(capacity: 1024)
    return (stack, try stack.allocate(block16), try stack.allocate(block16))
}

/// An empty stack and its base: a pointer that is the top of an empty stack, where no
/// allocation starts (each has a header below it).
private func emptyStackAndItsBase() throws -> (StackAllocator, UnsafeMutableRawPointer) {
    let stack = try StackAllocator(capacity: 1024)
    let probe = try Layout(size: 0, alignment: 1)
    let first = try stack.allocate(probe)
    try stack.deallocate(first, layout: probe)
    stack.reset()
    return (stack, first - StackAllocator.headerSize)
}

private let stackCases: [BadInputCase] = [
    BadInputCase("StackAllocator", "`init(capacity: 0)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try StackAllocator(capacity: 0) }
    },
    BadInputCase("StackAllocator", "`init(capacity: -1)`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try StackAllocator(capacity: -1) }
    },
    BadInputCase("StackAllocator", "`init(capacity: 1 << 48)` (headers hold 48 bits)", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt { _ = try StackAllocator(capacity: 1 << 48) }
    },
    BadInputCase("StackAllocator", "allocate 1 KiB with less left", .error(.arenaExhausted)) { probe in
        let (stack, _, _) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) { _ = try stack.allocate(Layout(size: 1024)) }
    },
    BadInputCase("StackAllocator", "deallocate a pointer of another stack", .error(.invalidPointer)) { probe in
        let (stack, _, _) = try stackWithTwoAllocations()
        let (other, _, foreign) = try stackWithTwoAllocations()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: stack.observedState) { try stack.deallocate(foreign, layout: block16) }
    },
    BadInputCase("StackAllocator", "deallocate a misaligned pointer (newest + 1)", .error(.invalidPointer)) { probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            try stack.deallocate(newest + 1, layout: block16)
        }
    },
    BadInputCase("StackAllocator", "deallocate the newest allocation twice", .error(.invalidPointer)) { probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        try stack.deallocate(newest, layout: block16)
        // The older allocation is the top now: the stale pointer lies above it.
        return await probe.attempt(observing: stack.observedState) { try stack.deallocate(newest, layout: block16) }
    },
    BadInputCase("StackAllocator", "deallocate the older allocation first", .error(.lifoViolation)) { probe in
        let (stack, older, _) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) { try stack.deallocate(older, layout: block16) }
    },
    BadInputCase("StackAllocator", "`reallocate` the older allocation", .error(.lifoViolation)) { probe in
        let (stack, older, _) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            _ = try stack.reallocate(older, from: block16, to: Layout(size: 32))
        }
    },
    BadInputCase("StackAllocator", "`reallocate` the newest to 2 KiB", .error(.arenaExhausted)) { probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            _ = try stack.reallocate(newest, from: block16, to: Layout(size: 2048))
        }
    },
    BadInputCase("StackAllocator", "`reallocate` the newest claiming `Int.max` bytes", .error(.invalidPointer)) {
        probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            _ = try stack.reallocate(newest, from: Layout(size: .max, alignment: 1), to: block16)
        }
    },
    BadInputCase(
        "StackAllocator", "deallocate the base of an empty stack (where no allocation starts)", .error(.invalidPointer)
    ) {
        probe in
        let (stack, base) = try emptyStackAndItsBase()
        return await probe.attempt(observing: stack.observedState) {
            try stack.deallocate(base, layout: Layout(size: 0, alignment: 1))
        }
    },
    BadInputCase("StackAllocator", "`reallocate` the base of an empty stack", .error(.invalidPointer)) { probe in
        let (stack, base) = try emptyStackAndItsBase()
        return await probe.attempt(observing: stack.observedState) {
            _ = try stack.reallocate(base, from: Layout(size: 0, alignment: 1), to: block16)
        }
    },
    BadInputCase("StackAllocator", "deallocate the newest with a larger size (32 for 16)", .error(.invalidPointer)) {
        probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            try stack.deallocate(newest, layout: Layout(size: 32, alignment: 8))
        }
    },
    BadInputCase("StackAllocator", "deallocate the newest with a smaller size (8 for 16)", .error(.invalidPointer)) {
        probe in
        let (stack, _, newest) = try stackWithTwoAllocations()
        return await probe.attempt(observing: stack.observedState) {
            try stack.deallocate(newest, layout: Layout(size: 8, alignment: 8))
        }
    },
    BadInputCase("StackAllocator", "release to a marker of another stack", .error(.invalidState)) { probe in
        let (stack, _, _) = try stackWithTwoAllocations()
        let other = try StackAllocator(capacity: 1024)
        let foreign = other.mark()
        return await probe.attempt(observing: stack.observedState) { try stack.release(to: foreign) }
    },
    BadInputCase(
        "StackAllocator", "release to a marker above the top (an older marker was released)",
        .error(.lifoViolation)
    ) { probe in
        let stack = try StackAllocator(capacity: 1024)
        let older = stack.mark()
        _ = try stack.allocate(block16)
        let newer = stack.mark()
        _ = try stack.allocate(block16)
        try stack.release(to: older)
        return await probe.attempt(observing: stack.observedState) { try stack.release(to: newer) }
    },
    BadInputCase(
        "StackAllocator", "release to a stale marker below the top (released, then the stack grew)",
        .error(.invalidState)
    ) { probe in
        let stack = try StackAllocator(capacity: 1024)
        let older = stack.mark()
        _ = try stack.allocate(block16)
        let newer = stack.mark()
        try stack.release(to: older)
        _ = try stack.allocate(Layout(size: 64))
        return await probe.attempt(observing: stack.observedState) { try stack.release(to: newer) }
    },
    BadInputCase("StackAllocator", "release to a marker taken before `reset()`", .error(.lifoViolation)) { probe in
        let stack = try StackAllocator(capacity: 1024)
        _ = try stack.allocate(block16)
        let marker = stack.mark()
        stack.reset()
        return await probe.attempt(observing: stack.observedState) { try stack.release(to: marker) }
    },
]

// MARK: - PoolAllocator

/// A pool of four 64-byte blocks with two handed out.
private func poolWithTwoBlocks() throws -> (PoolAllocator, UnsafeMutableRawPointer, UnsafeMutableRawPointer) {
    let pool = try PoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: 4)
    return (pool, try pool.allocateBlock(), try pool.allocateBlock())
}

private let poolCases: [BadInputCase] = [
    BadInputCase("PoolAllocator", "`blockSize: 0`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 0, blockCount: 4) }
    },
    BadInputCase("PoolAllocator", "`blockSize: -64`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: -64, blockCount: 4) }
    },
    BadInputCase("PoolAllocator", "`blockSize: 1 << 32` (a block over 4 GiB)", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 1 << 32, blockCount: 1) }
    },
    BadInputCase("PoolAllocator", "`blockAlignment: 0`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 64, blockAlignment: 0, blockCount: 4) }
    },
    BadInputCase("PoolAllocator", "`blockAlignment: 24` (not a power of two)", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 64, blockAlignment: 24, blockCount: 4) }
    },
    BadInputCase("PoolAllocator", "`blockAlignment: 8192` (above one page)", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 64, blockAlignment: 8192, blockCount: 4) }
    },
    BadInputCase("PoolAllocator", "`blockCount: 0`", .error(.invalidConfiguration)) { probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 64, blockCount: 0) }
    },
    BadInputCase("PoolAllocator", "`blockCount: 1 << 21` of 4 KiB (a slab over 4 GiB)", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt { _ = try PoolAllocator(blockSize: 4096, blockCount: 1 << 21) }
    },
    BadInputCase("PoolAllocator", "`.growing(maxBlockCount:)` below `blockCount`", .error(.invalidConfiguration)) {
        probe in
        await probe.attempt {
            _ = try PoolAllocator(
                blockSize: 64, blockCount: 8, configuration: .init(growth: .growing(maxBlockCount: 4)))
        }
    },
    BadInputCase("PoolAllocator", "`allocateBlock()` with every block in use", .error(.poolExhausted)) { probe in
        let pool = try PoolAllocator(blockSize: 64, blockCount: 2)
        _ = try pool.allocateBlock()
        _ = try pool.allocateBlock()
        return await probe.attempt(observing: pool.observedState) { _ = try pool.allocateBlock() }
    },
    BadInputCase("PoolAllocator", "`allocateBlock()` past `maxBlockCount` of a growing pool", .error(.poolExhausted)) {
        probe in
        let pool = try PoolAllocator(
            blockSize: 64, blockCount: 2, configuration: .init(growth: .growing(maxBlockCount: 4)))
        for _ in 0..<4 { _ = try pool.allocateBlock() }
        return await probe.attempt(observing: pool.observedState) { _ = try pool.allocateBlock() }
    },
    BadInputCase("PoolAllocator", "`allocate` a layout larger than a block", .error(.invalidLayout)) { probe in
        let (pool, _, _) = try poolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) { _ = try pool.allocate(Layout(size: 65)) }
    },
    BadInputCase("PoolAllocator", "`allocate` a layout more aligned than a block", .error(.invalidLayout)) { probe in
        let (pool, _, _) = try poolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.allocate(Layout(size: 16, alignment: 64))
        }
    },
    BadInputCase("PoolAllocator", "`deallocateBlock` a block of another pool", .error(.invalidPointer)) { probe in
        let (pool, _, _) = try poolWithTwoBlocks()
        let (other, _, foreign) = try poolWithTwoBlocks()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(foreign) }
    },
    BadInputCase("PoolAllocator", "`deallocateBlock` a misaligned pointer (block + 1)", .error(.invalidPointer)) {
        probe in
        let (pool, _, block) = try poolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block + 1) }
    },
    BadInputCase("PoolAllocator", "`deallocateBlock` a block twice", .error(.doubleFree)) { probe in
        let (pool, _, block) = try poolWithTwoBlocks()
        try pool.deallocateBlock(block)
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase("PoolAllocator", "`deallocateBlock` a block handed out before `reset()`", .error(.doubleFree)) {
        probe in
        let (pool, _, block) = try poolWithTwoBlocks()
        pool.reset()
        _ = try pool.allocateBlock()
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase("PoolAllocator", "`reallocate` to a layout larger than a block", .error(.invalidLayout)) { probe in
        let (pool, _, block) = try poolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.reallocate(block, from: block16, to: Layout(size: 128))
        }
    },
    BadInputCase("PoolAllocator", "`reallocate` a freed block", .error(.invalidPointer)) { probe in
        let (pool, older, _) = try poolWithTwoBlocks()
        try pool.deallocateBlock(older)
        return await probe.attempt(observing: pool.observedState) {
            _ = try pool.reallocate(older, from: block16, to: Layout(size: 8))
        }
    },
    BadInputCase(
        "PoolAllocator", "`deallocateBlock` a block written one byte past its end (`.hardened`)", .error(.invalidState)
    ) { probe in
        let pool = try PoolAllocator(blockSize: 32, blockCount: 8, configuration: .hardened)
        let block = try pool.allocateBlock()
        block.storeBytes(of: ~block.load(fromByteOffset: 32, as: UInt8.self), toByteOffset: 32, as: UInt8.self)
        return await probe.attempt(observing: pool.observedState) { try pool.deallocateBlock(block) }
    },
    BadInputCase("PoolAllocator", "`deallocate` with a layout larger than a block", .error(.invalidLayout)) { probe in
        let (pool, _, block) = try poolWithTwoBlocks()
        return await probe.attempt(observing: pool.observedState) {
            try pool.deallocate(block, layout: Layout(size: 128))
        }
    },
]

// MARK: - SystemAllocator

private let systemAllocatorCases: [BadInputCase] = [
    BadInputCase("SystemAllocator", "allocate `Int.max - 4096` bytes", .error(.outOfMemory)) { probe in
        await probe.attempt("the allocator keeps no state") {
            _ = try SystemAllocator.shared.allocate(Layout(size: .max - 4096, alignment: 1))
        }
    },
    BadInputCase("SystemAllocator", "allocate `Int.max - 8191` bytes aligned to 4096", .error(.outOfMemory)) { probe in
        await probe.attempt("the allocator keeps no state") {
            _ = try SystemAllocator.shared.allocate(Layout(size: .max - 8191, alignment: 4096))
        }
    },
    BadInputCase("SystemAllocator", "`allocate(Int64.self, count: -1)`", .error(.invalidLayout)) { probe in
        await probe.attempt("the allocator keeps no state") {
            _ = try SystemAllocator.shared.allocate(Int64.self, count: -1)
        }
    },
    BadInputCase("SystemAllocator", "`allocate(Int64.self, count: Int.max / 4)`", .error(.sizeOverflow)) { probe in
        await probe.attempt("the allocator keeps no state") {
            _ = try SystemAllocator.shared.allocate(Int64.self, count: .max / 4)
        }
    },
]
