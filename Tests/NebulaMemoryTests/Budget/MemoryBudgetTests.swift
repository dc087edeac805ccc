import NebulaMemory
import Synchronization
import Testing

/// What a budget exposes, to check that a denied call changed nothing.
struct BudgetSnapshot: Equatable {
    var used: Int
    var limit: Int
    var peak: Int

    init(_ budget: MemoryBudget) {
        used = budget.used
        limit = budget.limit
        peak = budget.peak
    }
}

/// engine (1000) → workflow (600) → execution (400).
func makeHierarchy(
    engine: Int = 1000, workflow: Int = 600, execution: Int = 400, policy: MemoryBudget.Policy = .strict
) throws -> (MemoryBudget, MemoryBudget, MemoryBudget) {
    let root = kept(try MemoryBudget(name: "engine", limit: engine))
    let mid = kept(try root.child(name: "workflow-42", limit: workflow))
    let leaf = kept(try mid.child(name: "execution-7", limit: execution, policy: policy))
    return (root, mid, leaf)
}

@Suite("MemoryBudget")
struct MemoryBudgetTests {
    @Test func pathsNameEveryLevel() throws {
        let (root, mid, leaf) = try makeHierarchy()
        #expect(root.path == "engine")
        #expect(mid.path == "engine/workflow-42")
        #expect(leaf.path == "engine/workflow-42/execution-7")
        #expect(leaf.parent === mid)
        #expect(root.parent == nil)
    }

    @Test func reservationChargesEveryLevelAndReleaseRefundsThem() throws {
        let (root, mid, leaf) = try makeHierarchy()
        let reservation = try leaf.reserve(300)
        #expect([root.used, mid.used, leaf.used] == [300, 300, 300])
        #expect(leaf.available == 100)
        #expect(root.available == 700)
        reservation.release()
        #expect([root.used, mid.used, leaf.used] == [0, 0, 0])
        #expect([root.peak, mid.peak, leaf.peak] == [300, 300, 300])
        #expect(leaf.statistics == .init(reservations: 1, denials: 0, peak: 300))
    }

    @Test func droppedReservationIsRefundedByDeinit() throws {
        let (root, _, leaf) = try makeHierarchy()
        do {
            let held = try leaf.reserve(123)
            #expect(held.bytes == 123)
            #expect(root.used == 123)
        }
        #expect(root.used == 0)
        #expect(leaf.used == 0)
    }

    @Test func isWithinFollowsTheHierarchy() throws {
        let (root, mid, leaf) = try makeHierarchy()
        let sibling = try mid.child(name: "execution-8", limit: 400)
        _ = kept(sibling)
        let stranger = try MemoryBudget(name: "engine", limit: 1000)
        _ = kept(stranger)
        #expect(leaf.isWithin(leaf) && leaf.isWithin(mid) && leaf.isWithin(root))
        #expect(!root.isWithin(leaf))
        #expect(!leaf.isWithin(sibling))
        #expect(!leaf.isWithin(stranger))
    }

    @Test func siblingsShareTheirParent() throws {
        let (root, mid, leaf) = try makeHierarchy()
        let sibling = kept(try mid.child(name: "execution-8", limit: 400))
        let first = try leaf.reserve(400)
        let second = try sibling.reserve(200)
        #expect(mid.used == 600)
        #expect(root.used == 600)
        #expect(throws: AllocError.self) { _ = try sibling.reserve(1) }
        _ = consume first
        _ = consume second
        #expect(mid.used == 0)
        withExtendedLifetime(leaf) {}  // a reservation does not keep its budget alive
    }

    @Test(arguments: [401, 601, 1001])
    func denialAnywhereLeavesEveryLevelUnchanged(request: Int) throws {
        let (root, mid, leaf) = try makeHierarchy(engine: 1000, workflow: 600, execution: 400)
        let other = kept(try root.child(name: "workflow-9", limit: 1000))
        let held = try other.reserve(399)  // engine has 601 left: the 1001 case fails at the root
        let before = [root, mid, leaf].map(BudgetSnapshot.init)
        let error = #expect(throws: AllocError.self) { _ = try leaf.reserve(request) }
        #expect([root, mid, leaf].map(BudgetSnapshot.init) == before)
        #expect(error?.code == .budgetExceeded)
        #expect(leaf.statistics.denials == 1)
        #expect(leaf.statistics.reservations == 0)
        _ = consume held
    }

    @Test func denialNamesTheLevelItsLimitUseAndRequest() throws {
        let (_, mid, leaf) = try makeHierarchy(engine: 1000, workflow: 600, execution: 1000)
        let held = try mid.reserve(500)
        let error = #expect(throws: AllocError.self) { _ = try leaf.reserve(200) }
        #expect(error?.code == .budgetExceeded)
        #expect(error?.message.contains("engine/workflow-42") == true)
        #expect(error?.message.contains("engine/workflow-42/") == false)
        #expect(error?.message.contains("200") == true)
        #expect(error?.capacity == 600)
        #expect(error?.used == 500)
        #expect(error?.available == 100)
        _ = consume held
    }

    @Test func zeroByteReservationIsGrantedAndNegativeIsRejected() throws {
        let (root, _, leaf) = try makeHierarchy()
        let empty = try leaf.reserve(0)
        #expect(empty.bytes == 0)
        let error = #expect(throws: AllocError.self) { _ = try leaf.reserve(-1) }
        #expect(error?.code == .invalidLayout)
        #expect(root.used == 0)
        #expect(leaf.statistics.reservations == 1)
    }

    @Test func reservationNearIntMaxDoesNotOverflow() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: .max, policy: .soft(overcommit: .max)))
        let held = try root.reserve(.max - 1)
        #expect(throws: AllocError.self) { _ = try root.reserve(2) }
        #expect(root.used == .max - 1)
        _ = consume held
    }

    @Test(arguments: [
        ("", 10, MemoryBudget.Policy.strict),
        ("a/b", 10, .strict),
        ("engine", -1, .strict),
        ("engine", 10, .soft(overcommit: -1)),
        ("engine", 10, .pressureAware(.init(moderate: 1.5))),
        ("engine", 10, .pressureAware(.init(critical: -0.1))),
    ])
    func badConfigurationIsRejected(name: String, limit: Int, policy: MemoryBudget.Policy) throws {
        let error = #expect(throws: AllocError.self) { try MemoryBudget(name: name, limit: limit, policy: policy) }
        #expect(error?.code == .invalidConfiguration)
        let root = kept(try MemoryBudget(name: "engine", limit: 10))
        let childError = #expect(throws: AllocError.self) { try root.child(name: name, limit: limit, policy: policy) }
        #expect(childError?.code == .invalidConfiguration)
    }

    // MARK: Limits at run time

    @Test func raisingAndLoweringTheLimit() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 100))
        let held = try root.reserve(80)
        try root.setLimit(200)
        let more = try root.reserve(120)
        #expect(root.used == 200)
        _ = consume more
        try root.setLimit(80)
        #expect(root.limit == 80)
        #expect(throws: AllocError.self) { _ = try root.reserve(1) }
        _ = consume held
    }

    @Test func strictBudgetRefusesALimitBelowItsUse() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 100))
        let held = try root.reserve(80)
        let error = #expect(throws: AllocError.self) { try root.setLimit(79) }
        #expect(error?.code == .invalidState)
        #expect(error?.used == 80)
        #expect(root.limit == 100)
        let negative = #expect(throws: AllocError.self) { try root.setLimit(-1) }
        #expect(negative?.code == .invalidConfiguration)
        #expect(root.limit == 100)
        _ = consume held
    }

    @Test func softBudgetAcceptsALimitBelowItsUseAndDeniesUntilReleased() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 100, policy: .soft(overcommit: 0)))
        var held = try root.reserve(80)
        try root.setLimit(50)
        #expect(root.limit == 50)
        #expect(root.available == 0)
        #expect(throws: AllocError.self) { _ = try root.reserve(1) }
        try held.shrink(by: 40)
        let fits = try root.reserve(10)
        #expect(root.used == 50)
        _ = consume fits
        _ = consume held
    }

    // MARK: Policies

    @Test func softPolicyAllowsABoundedOvershootAndReportsIt() throws {
        let reports = Mutex<[MemoryBudget.OvercommitReport]>([])
        let leaf = try MemoryBudget(
            name: "engine", limit: 100,
            policy: .soft(overcommit: 50, onOvercommit: { report in reports.withLock { $0.append(report) } }))
        _ = kept(leaf)
        let within = try leaf.reserve(90)
        #expect(reports.withLock { $0.isEmpty })
        let over = try leaf.reserve(40)
        #expect(leaf.used == 130)
        #expect(leaf.effectiveLimit == 150)
        #expect(leaf.available == 20)
        let seen = reports.withLock { $0 }
        #expect(seen == [.init(path: "engine", limit: 100, used: 130, requested: 40)])
        let error = #expect(throws: AllocError.self) { _ = try leaf.reserve(21) }
        #expect(error?.code == .budgetExceeded)
        #expect(leaf.used == 130)
        _ = consume within
        _ = consume over
    }

    @Test func softChildIsStillBoundedByAStrictParent() throws {
        let (root, mid, leaf) = try makeHierarchy(
            engine: 1000, workflow: 450, execution: 400, policy: .soft(overcommit: 100))
        let error = #expect(throws: AllocError.self) { _ = try leaf.reserve(460) }
        #expect(error?.message.contains("engine/workflow-42:") == true)
        #expect([root.used, mid.used, leaf.used] == [0, 0, 0])
    }

    @Test func denialByAnAncestorLeavesNoPeakAndNoOvercommitReportBelow() throws {
        let reports = Mutex<[MemoryBudget.OvercommitReport]>([])
        let root = kept(try MemoryBudget(name: "engine", limit: 100))
        let leaf = try root.child(
            name: "workflow", limit: 50,
            policy: .soft(overcommit: 100, onOvercommit: { report in reports.withLock { $0.append(report) } }))
        _ = kept(leaf)
        let held = try leaf.reserve(40)
        let before = [BudgetSnapshot(root), BudgetSnapshot(leaf)]
        expectAllocError(.budgetExceeded) { _ = try leaf.reserve(70) }  // the leaf allows 150, the root 100
        #expect([BudgetSnapshot(root), BudgetSnapshot(leaf)] == before)
        #expect(reports.withLock { $0.isEmpty })
        let over = try leaf.reserve(20)
        #expect(reports.withLock { $0 } == [.init(path: "engine/workflow", limit: 50, used: 60, requested: 20)])
        #expect([root.peak, leaf.peak] == [60, 60])
        _ = consume held
        _ = consume over
    }

    @Test func pressureAwareLimitShrinksWithPressure() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 1000))
        let leaf = try root.child(
            name: "workflow", limit: 1000, policy: .pressureAware(.init(moderate: 0.8, high: 0.5, critical: 0.1)))
        _ = kept(leaf)
        var expected: [MemoryPressure: Int] = [.normal: 1000, .moderate: 800, .high: 500, .critical: 100]
        for level in MemoryPressure.allCases {
            root.updatePressure(level)
            #expect(leaf.pressure == level)
            #expect(leaf.effectiveLimit == expected[level])
            expected[level] = nil
        }
        #expect(expected.isEmpty)
        root.updatePressure(.normal)
        let held = try leaf.reserve(600)
        leaf.updatePressure(.high)  // any level of the hierarchy sets the shared level
        #expect(root.pressure == .high)
        #expect(leaf.available == 0)
        #expect(throws: AllocError.self) { _ = try leaf.reserve(1) }
        #expect(leaf.used == 600)  // what was granted stays
        #expect(root.effectiveLimit == 1000)  // strict budgets ignore pressure
        _ = consume held
        let fits = try leaf.reserve(500)
        #expect(fits.bytes == 500)
    }

    @Test func pressureLevelsAreOrdered() {
        #expect(MemoryPressure.allCases.sorted() == [.normal, .moderate, .high, .critical])
        #expect(MemoryPressure.critical.description == "critical")
    }
}
