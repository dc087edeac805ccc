import NebulaMemory
import Synchronization
import Testing

/// Misuse detection met on purpose: a checkpoint, restore, reset or scope while another
/// allocation is under way, held there by a budget callback (the stress tests meet it by
/// chance, when the threads happen to overlap).
@Suite("ConcurrentBumpAllocator misuse")
struct ConcurrentBumpMisuseTests {
    @Test func aResetCheckpointOrRestoreDuringAnAllocationIsConcurrentAccessAndChangesNothing() throws {
        let hook = GrowthHook()
        let arena = try arena(calling: hook)
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        let point = try arena.checkpoint()
        let codes = Mutex<[AllocError.Code?]>([])
        let usedInside = Atomic<Int>(-1)
        hook.set {
            usedInside.store(arena.used, ordering: .relaxed)
            func code(_ body: () throws(AllocError) -> Void) -> AllocError.Code? {
                do throws(AllocError) {
                    try body()
                    return nil
                } catch {
                    return error.code
                }
            }
            let found = [
                code { () throws(AllocError) in try arena.reset() },
                code { () throws(AllocError) in _ = try arena.checkpoint() },
                code { () throws(AllocError) in try arena.restore(to: point) },
            ]
            codes.withLock { $0 = found }
            #expect(arena.used == usedInside.load(ordering: .relaxed), "nothing changed")
        }
        grow(arena)
        #expect(codes.withLock { $0 } == [.concurrentAccess, .concurrentAccess, .concurrentAccess])
        #expect(arena.statistics?.resets == 0)
        try arena.restore(to: point)
        #expect(arena.used == point.used, "the checkpoint is still good")
    }

    @Test func aScopeOpenedWhileAnAllocationIsUnderWayDoesNotRunItsBody() throws {
        let hook = GrowthHook()
        let arena = try arena(calling: hook)
        let failure = Mutex<ScopeFailure<Never>?>(nil)
        let ran = Atomic<Bool>(false)
        hook.set {
            do throws(ScopeFailure<Never>) {
                try arena.withScope { _ in ran.store(true, ordering: .relaxed) }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        grow(arena)
        let error = try #require(failure.withLock { $0 })
        guard case .open(let allocError) = error else {
            Issue.record("expected .open, got \(error)")
            return
        }
        #expect(allocError.code == .concurrentAccess)
        let bodyRan = ran.load(ordering: .relaxed)
        #expect(!bodyRan)
        #expect(error.bodyFailure == nil && error.allocError == allocError)
        #expect(
            error.description.hasPrefix("the scope could not be opened: ")
                && error.description.contains("[ALLOC_CONCURRENT_ACCESS]"))
    }

    @Test(arguments: [false, true])
    func aScopeClosedWhileAnAllocationIsUnderWaySaysSoAndFreesNothing(bodyThrows: Bool) throws {
        let hook = GrowthHook()
        let arena = try arena(calling: hook)
        var held: HeldAllocation?
        var usedAtClose = 0
        let outcome = Result { () throws(ScopeFailure<BodyError>) -> Int in
            try arena.withScope { (scratch) throws(BodyError) -> Int in
                _ = try? scratch.allocate(Layout(size: 64, alignment: 8))
                held = HeldAllocation(on: arena, hook: hook)
                usedAtClose = arena.used
                if bodyThrows { throw BodyError(value: 4) }
                return 4
            }
        }
        #expect(arena.used >= usedAtClose, "nothing was freed")
        held?.finish()
        guard case .failure(let error) = outcome, case .close(let allocError, let bodyFailure) = error else {
            Issue.record("expected .close, got \(outcome)")
            return
        }
        #expect(allocError.code == .concurrentAccess)
        #expect(bodyFailure == (bodyThrows ? BodyError(value: 4) : nil))
        #expect(error.description.contains("the body threw") == bodyThrows)
    }

    @Test func aBodyThatResetsTheArenaLeavesItAsTheBodyDid() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 4096, configuration: .init(detectConcurrentMisuse: true))
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        var usedAtEnd = 0
        let value = try arena.withScope { (scratch) throws(AllocError) -> Int in
            _ = try scratch.allocate(Layout(size: 200, alignment: 8))
            try scratch.reset()
            _ = try scratch.allocate(Layout(size: 8, alignment: 8))
            usedAtEnd = scratch.used
            return 1
        }
        #expect(value == 1)
        #expect(
            usedAtEnd > 0 && arena.used == usedAtEnd, "the scope's end kept what the body allocated after its reset")
    }
}
