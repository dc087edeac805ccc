import NebulaMemory
import Synchronization
import Testing

/// The bytes a test has been granted and not yet given back, for one budget.
private final class LiveBytes: Sendable {
    let budget: MemoryBudget
    private let bytes = Atomic<Int>(0)
    let overLimit = Atomic<Int>(0)

    init(_ budget: MemoryBudget) { self.budget = budget }

    /// Counted after a grant and before a release, so the tally never exceeds what is charged.
    func add(_ amount: Int) {
        let now = bytes.add(amount, ordering: .relaxed).newValue
        if now > budget.limit || budget.used > budget.limit { overLimit.add(1, ordering: .relaxed) }
    }

    func subtract(_ amount: Int) { bytes.subtract(amount, ordering: .relaxed) }
}

@Suite("MemoryBudget stress")
struct BudgetStressTests {
    /// engine ← 2 workflows ← one execution per thread; limits are tight so denials are common.
    @Test(arguments: [0, 512])
    func concurrentReservationsNeverPassALimitAndAllReturnToZero(reserveAhead: Int) throws {
        let threads = 4
        let engine = try MemoryBudget(name: "engine", limit: 3000)
        let workflows = try (0..<2).map { index throws(AllocError) in
            try engine.child(name: "workflow-\(index)", limit: 2000)
        }
        let executions = try (0..<threads).map { index throws(AllocError) in
            try workflows[index % 2].child(name: "execution-\(index)", limit: 1200, reserveAhead: reserveAhead)
        }
        let tallies = ([engine] + workflows + executions).map(LiveBytes.init)
        let granted = SharedCounter()
        let denied = SharedCounter()

        runOnThreads(threads) { worker in
            let leaf = executions[worker]
            let chain = tallies.filter { leaf.isWithin($0.budget) }
            var generator = SeededGenerator(seed: UInt64(worker + 1))
            // Reservations are not copyable, so the thread holds them in two slots.
            var first: Reservation? = nil
            var second: Reservation? = nil
            for round in 0..<20_000 {
                let action = Int.random(in: 0..<4, using: &generator)
                let size = Int.random(in: 1...400, using: &generator)
                if round % 2 == 0 {
                    step(&first, action: action, size: size, leaf: leaf, chain: chain, granted: granted, denied: denied)
                } else {
                    step(
                        &second, action: action, size: size, leaf: leaf, chain: chain, granted: granted, denied: denied)
                }
            }
            let untally = { (bytes: Int) in for tally in chain { tally.subtract(bytes) } }
            release(&first, untally: untally)
            release(&second, untally: untally)
        }

        for execution in executions { execution.returnReservedAhead() }
        for tally in tallies {
            #expect(tally.overLimit.load(ordering: .relaxed) == 0, "\(tally.budget.path) went over its limit")
            #expect(tally.budget.used == 0, "\(tally.budget.path) still holds bytes")
            #expect(tally.budget.peak <= tally.budget.limit)
        }
        #expect(granted.current > 0)
        #expect(denied.current > 0)
        #expect(executions.map(\.statistics.reservations).reduce(0, +) == granted.current)
        #expect(executions.map(\.statistics.denials).reduce(0, +) == denied.current)
    }
}

/// One random move on a slot: reserve into an empty one; grow, shrink or release a full one.
private func step(
    _ slot: inout Reservation?, action: Int, size: Int, leaf: MemoryBudget, chain: [LiveBytes],
    granted: SharedCounter, denied: SharedCounter
) {
    guard var held = slot.take() else {
        do {
            let reservation = try leaf.reserve(size)
            for tally in chain { tally.add(size) }
            slot = consume reservation
            granted.increment()
        } catch {
            denied.increment()
        }
        return
    }
    switch action {
    case 0:
        do {
            try held.grow(by: size)
            for tally in chain { tally.add(size) }
            granted.increment()
        } catch {
            denied.increment()
        }
        slot = consume held
    case 1:
        let cut = held.bytes / 2
        for tally in chain { tally.subtract(cut) }
        try? held.shrink(by: cut)
        slot = consume held
    default:
        for tally in chain { tally.subtract(held.bytes) }
        held.release()
    }
}
