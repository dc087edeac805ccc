import NebulaMemory
import Testing

@Suite("MemoryBudget reserve-ahead")
struct MemoryBudgetReserveAheadTests {
    @Test func smallReservationsChargeTheAncestorsInSteps() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let execution = kept(try engine.child(name: "execution", limit: 1 << 16, reserveAhead: 4096))
        let first = try execution.reserve(64)
        #expect(execution.used == 64)
        #expect(engine.used == 4096)
        #expect(execution.reservedAhead == 4032)
        var second = try execution.reserve(4040)
        #expect(engine.used == 8192)
        try second.grow(by: 32)
        #expect(engine.used == 8192)
        _ = consume first
        _ = consume second
        #expect(execution.used == 0)
        #expect(engine.used == 8192)  // up to two steps stay charged
        execution.returnReservedAhead()
        #expect(engine.used == 0)
        #expect(execution.reservedAhead == 0)
    }

    @Test func releasingMoreThanTwoStepsGivesTheExcessBack() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let execution = kept(try engine.child(name: "execution", limit: 1 << 20, reserveAhead: 1000))
        let big = try execution.reserve(10_000)
        #expect(engine.used == 10_000)
        big.release()
        #expect(engine.used == 1000)
    }

    @Test func stepIsCutToWhatTheAncestorsAllow() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 5000))
        let execution = kept(try engine.child(name: "execution", limit: 1 << 20, reserveAhead: 4096))
        let first = try execution.reserve(3000)
        let second = try execution.reserve(1500)  // a step would take the engine to 8192
        #expect(engine.used == 4500)
        let before = [engine.used, execution.used, execution.reservedAhead]
        let error = #expect(throws: AllocError.self) { _ = try execution.reserve(600) }
        #expect(error?.code == .budgetExceeded)
        #expect(error?.message.contains("budget engine:") == true)
        #expect([engine.used, execution.used, execution.reservedAhead] == before)
        #expect(execution.statistics.denials == 1)
        _ = consume first
        _ = consume second
    }

    @Test func stepIsCutToTheBudgetsOwnLimit() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let execution = kept(try engine.child(name: "execution", limit: 100, reserveAhead: 4096))
        let held = try execution.reserve(10)
        #expect(engine.used == 100)
        #expect(throws: AllocError.self) { _ = try execution.reserve(91) }
        #expect(execution.used == 10)
        _ = consume held
    }

    @Test func deinitGivesTheCreditBack() throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        do {
            let execution = try engine.child(name: "execution", limit: 1 << 16, reserveAhead: 4096)
            let held = try execution.reserve(10)
            #expect(engine.used == 4096)
            _ = consume held
            withExtendedLifetime(execution) {}  // a reservation does not keep its budget alive
        }
        #expect(engine.used == 0)
    }

    @Test func childrenOfAReserveAheadBudgetAreChargedThroughIt() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let workflow = kept(try engine.child(name: "workflow", limit: 1 << 18, reserveAhead: 8192))
        let node = kept(try workflow.child(name: "node", limit: 1 << 16))
        let held = try node.reserve(100)
        #expect([engine.used, workflow.used, node.used] == [8192, 100, 100])
        _ = consume held
        #expect(workflow.used == 0)
    }

    @Test func hugeStepDoesNotOverflow() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1000))
        let execution = kept(try engine.child(name: "execution", limit: .max, reserveAhead: .max))
        let held = try execution.reserve(10)
        #expect(engine.used == 10)  // no whole step fits the engine: exactly what is missing
        held.release()
        #expect(execution.used == 0)
        execution.returnReservedAhead()
        #expect(engine.used == 0)
    }

    @Test func negativeStepIsRejected() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1000))
        let error = #expect(throws: AllocError.self) { _ = try engine.child(name: "x", limit: 10, reserveAhead: -1) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func strictLimitCannotBeLoweredBelowUse() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let execution = kept(try engine.child(name: "execution", limit: 1000, reserveAhead: 256))
        let held = try execution.reserve(500)
        #expect(throws: AllocError.self) { try execution.setLimit(499) }
        try execution.setLimit(500)
        #expect(throws: AllocError.self) { _ = try execution.reserve(1) }
        _ = consume held
    }
}
