import NebulaMemory
import Testing

// The bad-input cases of budgets, reservations, budgeted allocators and memory contexts. The
// state of a budget is that of every level of its hierarchy.

/// Budgets from a root down, with a reservation held on the last one, so that a refused call has
/// something to leave unchanged.
private final class BudgetFixture {
    // Declared first, so destroyed first: a reservation does not keep its budget alive.
    var held: Reservation
    let levels: [MemoryBudget]

    init(_ levels: [MemoryBudget], holding bytes: Int = 64) throws(AllocError) {
        held = try levels[levels.count - 1].reserve(bytes)
        self.levels = levels
    }

    var leaf: MemoryBudget { levels[levels.count - 1] }

    /// The reservation's bytes, then every level's state, root first.
    var observedState: ObservedState {
        levels.reduce(ObservedState(["reservation.bytes": held.bytes])) { $0 + $1.observedState }
    }
}

/// engine → workflow → execution with the given limits, 64 bytes reserved on the execution.
private func hierarchy(engine: Int = 10_000, workflow: Int = 10_000, execution: Int = 10_000) throws(AllocError)
    -> BudgetFixture
{
    let root = try MemoryBudget(name: "engine", limit: engine)
    let middle = try root.child(name: "workflow", limit: workflow)
    return try BudgetFixture([root, middle, try middle.child(name: "execution", limit: execution)])
}

/// The bad settings a budget refuses, as (input, make it).
private let badBudgetSettings: [(String, @Sendable () throws(AllocError) -> MemoryBudget)] = [
    ("`limit: -1`", { () throws(AllocError) in try MemoryBudget(name: "engine", limit: -1) }),
    ("`name: \"\"`", { () throws(AllocError) in try MemoryBudget(name: "", limit: 1024) }),
    ("`name: \"a/b\"`", { () throws(AllocError) in try MemoryBudget(name: "a/b", limit: 1024) }),
    (
        "`.soft(overcommit: -1)`",
        { () throws(AllocError) in try MemoryBudget(name: "engine", limit: 1024, policy: .soft(overcommit: -1)) }
    ),
    (
        "a `.pressureAware` fraction of 1.5",
        { () throws(AllocError) in
            try MemoryBudget(name: "engine", limit: 1024, policy: .pressureAware(.init(moderate: 1.5)))
        }
    ),
    (
        "a `.pressureAware` fraction of NaN",
        { () throws(AllocError) in
            try MemoryBudget(name: "engine", limit: 1024, policy: .pressureAware(.init(critical: .nan)))
        }
    ),
]

let budgetCases: [BadInputCase] =
    badBudgetSettings.map { input, make in
        BadInputCase("MemoryBudget", "`init` with \(input)", .error(.invalidConfiguration)) { probe in
            await probe.attempt { _ = try make() }
        }
    } + [
        BadInputCase("MemoryBudget", "`child` with `limit: -1`", .error(.invalidConfiguration)) { probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.levels[1].child(name: "execution-2", limit: -1)
            }
        },
        BadInputCase("MemoryBudget", "`child` with `reserveAhead: -1`", .error(.invalidConfiguration)) { probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.levels[1].child(name: "execution-2", limit: 100, reserveAhead: -1)
            }
        },
        BadInputCase("MemoryBudget", "`reserve(-1)`", .error(.invalidLayout)) { probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(-1)
            }
        },
        BadInputCase("MemoryBudget", "`reserve` above the budget's own limit", .error(.budgetExceeded)) { probe in
            let budgets = try hierarchy(execution: 100)
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(100)
            }
        },
        BadInputCase("MemoryBudget", "`reserve` above the parent's limit", .error(.budgetExceeded)) { probe in
            let budgets = try hierarchy(workflow: 100)
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(100)
            }
        },
        BadInputCase("MemoryBudget", "`reserve` above the root's limit", .error(.budgetExceeded)) { probe in
            let budgets = try hierarchy(engine: 100)
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(100)
            }
        },
        BadInputCase("MemoryBudget", "`reserve(Int.max)` with bytes reserved (overflow)", .error(.budgetExceeded)) {
            probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(.max)
            }
        },
        BadInputCase("MemoryBudget", "`reserve` past the overcommit of a `.soft` budget", .error(.budgetExceeded)) {
            probe in
            let budgets = try BudgetFixture(
                [try MemoryBudget(name: "engine", limit: 100, policy: .soft(overcommit: 50))], holding: 120)
            return await probe.attempt(observing: budgets.observedState) { _ = try budgets.leaf.reserve(40) }
        },
        BadInputCase(
            "MemoryBudget", "`reserve` above a `.pressureAware` limit at critical pressure", .error(.budgetExceeded)
        ) { probe in
            let budget = try MemoryBudget(name: "engine", limit: 1000, policy: .pressureAware())
            budget.updatePressure(.critical)
            return await probe.attempt(observing: budget.observedState) { _ = try budget.reserve(300) }
        },
        BadInputCase(
            "MemoryBudget", "`reserve` above a `reserveAhead` budget's own limit", .error(.budgetExceeded)
        ) { probe in
            let engine = try MemoryBudget(name: "engine", limit: 10_000)
            let budgets = try BudgetFixture([
                engine, try engine.child(name: "execution", limit: 1000, reserveAhead: 256),
            ])
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(1000)
            }
        },
        BadInputCase(
            "MemoryBudget", "`reserve` above the parent's limit from a `reserveAhead` budget",
            .error(.budgetExceeded)
        ) { probe in
            let engine = try MemoryBudget(name: "engine", limit: 500)
            let budgets = try BudgetFixture([
                engine, try engine.child(name: "execution", limit: 10_000, reserveAhead: 256),
            ])
            return await probe.attempt(observing: budgets.observedState) {
                _ = try budgets.leaf.reserve(1000)
            }
        },
        BadInputCase("MemoryBudget", "`setLimit(-1)`", .error(.invalidConfiguration)) { probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                try budgets.levels[1].setLimit(-1)
            }
        },
        BadInputCase("MemoryBudget", "`setLimit` below the use of a `.strict` budget", .error(.invalidState)) {
            probe in
            let budgets = try hierarchy()
            return await probe.attempt(observing: budgets.observedState) {
                try budgets.levels[1].setLimit(32)
            }
        },
        BadInputCase(
            "MemoryBudget", "`setLimit` below the use of a `.strict` `reserveAhead` budget", .error(.invalidState)
        ) { probe in
            let engine = try MemoryBudget(name: "engine", limit: 10_000)
            let budgets = try BudgetFixture([
                engine, try engine.child(name: "execution", limit: 1000, reserveAhead: 256),
            ])
            return await probe.attempt(observing: budgets.observedState) {
                try budgets.leaf.setLimit(32)
            }
        },
    ] + reservationCases + budgetedAllocatorCases + memoryContextCases

// MARK: - Reservation

/// The bad changes of a 64-byte reservation on an execution budget of 100 bytes.
private let badReservationChanges:
    [(String, AllocError.Code, @Sendable (inout Reservation) throws(AllocError) -> Void)] =
        [
            (
                "`shrink(by:)` more than held (65 of 64)", .invalidLayout,
                { (held) throws(AllocError) in try held.shrink(by: 65) }
            ),
            ("`shrink(by: -1)`", .invalidLayout, { (held) throws(AllocError) in try held.shrink(by: -1) }),
            ("`grow(by: -1)`", .invalidLayout, { (held) throws(AllocError) in try held.grow(by: -1) }),
            (
                "`grow(by: Int.max)` (overflow)", .invalidLayout,
                { (held) throws(AllocError) in try held.grow(by: .max) }
            ),
            ("`grow(by:)` past the limit", .budgetExceeded, { (held) throws(AllocError) in try held.grow(by: 64) }),
        ]

private let reservationCases: [BadInputCase] = badReservationChanges.map { input, code, change in
    BadInputCase("Reservation", input, .error(code)) { probe in
        let budgets = try hierarchy(execution: 100)
        return await probe.attempt(observing: budgets.observedState) { try change(&budgets.held) }
    }
}

// MARK: - withMemoryContext

private let memoryContextCases: [BadInputCase] = [
    BadInputCase(
        "withMemoryContext", "no budget, outside any context", .error(.invalidConfiguration)
    ) { probe in
        await probe.attempt { try withMemoryContext(name: "execution") { _ in } }
    },
    BadInputCase("withMemoryContext", "`limit: -1`", .error(.invalidConfiguration)) { probe in
        let budgets = try hierarchy()
        return await probe.attempt(observing: budgets.observedState) {
            try withMemoryContext(name: "execution-2", budget: budgets.levels[1], limit: -1) { _ in }
        }
    },
    BadInputCase("withMemoryContext", "`name: \"a/b\"`", .error(.invalidConfiguration)) { probe in
        let budgets = try hierarchy()
        return await probe.attempt(observing: budgets.observedState) {
            try withMemoryContext(name: "a/b", budget: budgets.levels[1]) { _ in }
        }
    },
    BadInputCase("withMemoryContext", "`arenaCapacity: 0`", .error(.invalidConfiguration)) { probe in
        let budgets = try hierarchy()
        return await probe.attempt(observing: budgets.observedState) {
            try withMemoryContext(name: "execution-2", budget: budgets.levels[1], arenaCapacity: 0) { _ in }
        }
    },
]

// MARK: - BudgetedAllocator

/// An arena of `capacity` bytes under an execution budget of `limit` bytes, with one 16-byte
/// allocation made through it.
private func budgetedArena(capacity: Int = 1024, limit: Int = 256) throws -> (
    BudgetedAllocator<BumpAllocator>, UnsafeMutableRawPointer
) {
    let engine = try MemoryBudget(name: "engine", limit: 10_000)
    let arena = BudgetedAllocator(
        try BumpAllocator(capacity: capacity), budget: try engine.child(name: "execution", limit: limit))
    return (arena, try arena.allocate(Layout(size: 16, alignment: 8)))
}

private let budgetedAllocatorCases: [BadInputCase] = [
    BadInputCase("BudgetedAllocator", "allocate more than the budget allows", .error(.budgetExceeded)) { probe in
        let (arena, _) = try budgetedArena()
        return await probe.attempt(observing: arena.observedState) { _ = try arena.allocate(Layout(size: 512)) }
    },
    BadInputCase("BudgetedAllocator", "`create` a value larger than the budget allows", .error(.budgetExceeded)) {
        probe in
        let (arena, _) = try budgetedArena(limit: 32)
        return await probe.attempt(observing: arena.observedState) {
            _ = try arena.create((Int64(1), Int64(2), Int64(3)))
        }
    },
    BadInputCase(
        "BudgetedAllocator", "allocate within the budget from an exhausted base", .error(.arenaExhausted),
        knownIssue: "a base that fails after the budget granted the charge leaves the budget's `peak` and "
            + "`reservations` counting it (the charge is refunded, `used` is unchanged): the allocator charges "
            + "before it asks the base, so that a denial costs no allocation."
    ) { probe in
        let (arena, _) = try budgetedArena(capacity: 64, limit: 1024)
        return await probe.attempt(observing: arena.observedState) { _ = try arena.allocate(Layout(size: 128)) }
    },
    BadInputCase("BudgetedAllocator", "deallocate a pointer of another allocator", .error(.invalidPointer)) {
        probe in
        let (arena, _) = try budgetedArena()
        let (other, foreign) = try budgetedArena()
        defer { withExtendedLifetime(other) {} }
        return await probe.attempt(observing: arena.observedState) {
            try arena.deallocate(foreign, layout: Layout(size: 16, alignment: 8))
        }
    },
    BadInputCase("BudgetedAllocator", "deallocate the newest allocation twice", .error(.invalidPointer)) { probe in
        let (arena, newest) = try budgetedArena()
        let layout = try Layout(size: 16, alignment: 8)
        try arena.deallocate(newest, layout: layout)
        return await probe.attempt(observing: arena.observedState) { try arena.deallocate(newest, layout: layout) }
    },
]
