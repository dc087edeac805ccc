import NebulaMemory
import Synchronization
import Testing
import _NebulaMemoryShims

/// Whether budgets can keep per-thread stocks here: they need the heavy barrier (Linux
/// `membarrier`) to drain them; elsewhere every charge is exact.
private let stocksAvailable = nm_heavy_barrier_available() != 0

/// The default stock batch: 64 KiB.
private let batch = MemoryBudget.defaultStockBatch

/// engine → workflow → execution, with limits so far above one batch per thread that every
/// small reservation refills a stock.
private func makeRoomyHierarchy(stockBatch: Int = MemoryBudget.defaultStockBatch) throws -> (
    MemoryBudget, MemoryBudget, MemoryBudget
) {
    // Every level: an ancestor's stock serves its children's charges too.
    let root = kept(try MemoryBudget(name: "engine", limit: 1 << 30, stockBatch: stockBatch))
    let mid = kept(try root.child(name: "workflow", limit: 1 << 30, stockBatch: stockBatch))
    let leaf = kept(try mid.child(name: "execution", limit: 1 << 30, stockBatch: stockBatch))
    return (root, mid, leaf)
}

/// Checks that every level charges `charged` bytes and has `used` bytes reserved.
private func expectAccounts(
    _ levels: [MemoryBudget], charged: Int, used: Int, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(levels.map(\.charged) == Array(repeating: charged, count: levels.count), sourceLocation: sourceLocation)
    #expect(levels.map(\.used) == Array(repeating: used, count: levels.count), sourceLocation: sourceLocation)
}

@Suite("MemoryBudget stocks")
struct MemoryBudgetStockTests {
    // MARK: Configuration

    @Test func stockBatchDefaultsTo64KiB() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let child = kept(try root.child(name: "workflow", limit: 1 << 20))
        #expect(MemoryBudget.defaultStockBatch == 64 << 10)
        #expect(root.stockBatch == 64 << 10)
        #expect(child.stockBatch == 64 << 10)
        #expect(try root.child(name: "execution", limit: 10, stockBatch: 100).stockBatch == 100)
    }

    @Test func negativeStockBatchIsRejected() throws {
        let error = #expect(throws: AllocError.self) { try MemoryBudget(name: "engine", limit: 10, stockBatch: -1) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("stockBatch") == true)
        let root = kept(try MemoryBudget(name: "engine", limit: 10))
        let childError = #expect(throws: AllocError.self) {
            try root.child(name: "workflow", limit: 10, stockBatch: -1)
        }
        #expect(childError?.code == .invalidConfiguration)
        #expect(childError?.message.contains("stockBatch") == true)
    }

    @Test func reserveAheadBudgetKeepsNoStock() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 30))
        let execution = kept(try engine.child(name: "execution", limit: 1 << 30, reserveAhead: 4096, stockBatch: 1000))
        #expect(execution.stockBatch == 0)
        let held = try execution.reserve(100)
        #expect(execution.stocked == 0)
        #expect(execution.charged == 100)
        #expect(engine.charged == 4096)  // one reserve-ahead step, and nothing more
        held.release()
        execution.returnReservedAhead()
        #expect(engine.charged == 0)
    }

    // MARK: Stocks

    @Test(.enabled(if: stocksAvailable))
    func smallReservationChargesABatchAtEveryLevelAndStocksItOnTheLeaf() throws {
        let (root, mid, leaf) = try makeRoomyHierarchy()
        let held = try leaf.reserve(100)
        // Live bytes are exact; the batch kept for this thread counts against every limit.
        expectAccounts([root, mid, leaf], charged: batch + 100, used: 100)
        #expect([root.stocked, mid.stocked, leaf.stocked] == [0, 0, batch])
        let second = try leaf.reserve(200)  // served from the stock: no level changes its charge
        expectAccounts([root, mid, leaf], charged: batch + 100, used: 300)
        #expect(leaf.stocked == batch - 200)
        second.release()
        held.release()
        #expect([root.used, mid.used, leaf.used] == [0, 0, 0])
        #expect(leaf.charged == leaf.stocked)
        #expect(leaf.stocked > 0)
        root.drainStocks()
        expectAccounts([root, mid, leaf], charged: 0, used: 0)
        #expect(leaf.stocked == 0)
    }

    @Test func zeroStockBatchChargesEveryReservationExactly() throws {
        let (root, mid, leaf) = try makeRoomyHierarchy(stockBatch: 0)
        let levels = [root, mid, leaf]
        var held = try leaf.reserve(100)
        expectAccounts(levels, charged: 100, used: 100)
        try held.grow(by: 50)
        expectAccounts(levels, charged: 150, used: 150)
        try held.shrink(by: 120)
        expectAccounts(levels, charged: 30, used: 30)
        let second = try leaf.reserve(7)
        expectAccounts(levels, charged: 37, used: 37)
        second.release()
        expectAccounts(levels, charged: 30, used: 30)
        held.release()
        expectAccounts(levels, charged: 0, used: 0)
        #expect(leaf.stocked == 0)
    }

    @Test func reservationLargerThanTheBatchIsChargedExactly() throws {
        let (root, mid, leaf) = try makeRoomyHierarchy(stockBatch: 1000)
        let held = try leaf.reserve(1001)
        expectAccounts([root, mid, leaf], charged: 1001, used: 1001)
        #expect(leaf.stocked == 0)
        held.release()
        expectAccounts([root, mid, leaf], charged: 0, used: 0)
    }

    @Test func nearTheLimitChargesAreExactAndEveryByteCanBeReserved() throws {
        // The engine has less room than one batch: the workflow's charges go exact.
        let root = kept(try MemoryBudget(name: "engine", limit: 1000))
        let leaf = kept(try root.child(name: "workflow", limit: 1 << 30))
        var held = try leaf.reserve(100)
        for _ in 0..<9 {
            #expect([root.charged, leaf.charged] == [held.bytes, held.bytes])
            try held.grow(by: 100)
        }
        #expect(held.bytes == 1000)
        expectAccounts([root, leaf], charged: 1000, used: 1000)
        #expect(leaf.stocked == 0)
        let error = expectAllocError(.budgetExceeded) { _ = try leaf.reserve(1) }
        #expect(error?.capacity == 1000)
        #expect(error?.used == 1000)
        expectAccounts([root, leaf], charged: 1000, used: 1000)
        #expect(root.peak == 1000)
        #expect(leaf.statistics.denials == 1)
        held.release()
        expectAccounts([root, leaf], charged: 0, used: 0)
    }

    @Test func everyByteUpToTheLimitCanBeReservedAfterStocksWereKept() throws {
        // Far from the limit the workflow keeps a stock; close to it the stock goes back.
        let root = kept(try MemoryBudget(name: "engine", limit: 100_000))
        let leaf = kept(try root.child(name: "workflow", limit: 1 << 30, stockBatch: 1000))
        var held = try leaf.reserve(100)
        while held.bytes + 1000 <= 100_000 {
            try held.grow(by: 1000)
        }
        try held.grow(by: 100_000 - held.bytes)
        #expect(held.bytes == 100_000)
        expectAccounts([root, leaf], charged: 100_000, used: 100_000)
        #expect(leaf.stocked == 0)
        expectAllocError(.budgetExceeded) { _ = try leaf.reserve(1) }
        #expect(root.peak == 100_000)
        held.release()
        expectAccounts([root, leaf], charged: 0, used: 0)
    }

    @Test(.enabled(if: stocksAvailable))
    func denialDrainsAnotherThreadsStockBeforeDenying() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 100_000))
        let first = kept(try root.child(name: "workflow-1", limit: 100_000, stockBatch: 1000))
        let second = kept(try root.child(name: "workflow-2", limit: 100_000, stockBatch: 0))
        // This thread keeps a stock of `first`, charged to the engine too.
        let small = try first.reserve(1)
        small.release()
        #expect(first.stocked == 1000)
        #expect(root.charged == 1000)
        // Another thread needs all but 500 bytes of the engine: without taking this thread's
        // stock, the engine would deny it.
        let granted = SharedCounter()
        runOnThreads(1) { _ in
            guard let held = try? second.reserve(99_500) else { return }
            granted.increment(by: held.bytes)
            held.release()
        }
        #expect(granted.current == 99_500)
        #expect(first.stocked == 0)
        #expect([root.charged, first.charged, second.charged] == [0, 0, 0])
        #expect(second.statistics.denials == 0)
    }

    @Test(.enabled(if: stocksAvailable), arguments: [0, 1, 2])
    func loweringALimitToTheLiveBytesDrainsStocksFirst(level: Int) throws {
        let (root, mid, leaf) = try makeRoomyHierarchy()
        let levels = [root, mid, leaf]
        let held = try leaf.reserve(100)
        #expect(leaf.stocked == batch)
        try levels[level].setLimit(100)
        #expect(levels[level].limit == 100)
        expectAccounts(levels, charged: 100, used: 100)
        #expect(leaf.stocked == 0)
        expectAllocError(.budgetExceeded) { _ = try leaf.reserve(1) }
        expectAllocError(.invalidState) { try levels[level].setLimit(99) }
        #expect(levels[level].limit == 100)
        held.release()
        #expect(leaf.used == 0)
        leaf.drainStocks()  // the released bytes may stay in this thread's stock
        expectAccounts(levels, charged: 0, used: 0)
    }

    @Test(.enabled(if: stocksAvailable))
    func pressureChangeDrainsEveryStockOfTheHierarchy() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 1 << 30))
        let first = kept(try root.child(name: "workflow-1", limit: 1 << 30))
        let second = kept(try root.child(name: "workflow-2", limit: 1 << 30))
        _ = try first.reserve(10)
        _ = try second.reserve(10)
        #expect([first.stocked, second.stocked] == [batch, batch])
        #expect(root.charged == 2 * batch)
        first.updatePressure(.moderate)  // the level is the hierarchy's: so are the stocks drained
        #expect(root.pressure == .moderate)
        #expect([first.stocked, second.stocked] == [0, 0])
        #expect([root.charged, first.charged, second.charged] == [0, 0, 0])
    }

    @Test(.enabled(if: stocksAvailable))
    func drainStocksGivesBackThisBudgetsStocksAndThoseBelowIt() throws {
        let root = kept(try MemoryBudget(name: "engine", limit: 1 << 30))
        let first = kept(try root.child(name: "workflow-1", limit: 1 << 30))
        let second = kept(try root.child(name: "workflow-2", limit: 1 << 30))
        let execution = kept(try first.child(name: "execution", limit: 1 << 30))
        _ = try execution.reserve(10)
        _ = try second.reserve(10)
        #expect([execution.stocked, second.stocked] == [batch, batch])
        #expect(root.charged == 2 * batch)
        first.drainStocks()
        #expect([execution.stocked, second.stocked] == [0, batch])
        #expect([root.charged, first.charged, execution.charged, second.charged] == [batch, 0, 0, batch])
        root.drainStocks()
        #expect(second.stocked == 0)
        #expect([root.charged, second.charged] == [0, 0])
    }

    @Test(.enabled(if: stocksAvailable))
    func threadThatExitsGivesItsStockBack() throws {
        let (root, mid, leaf) = try makeRoomyHierarchy()
        let stockedOnWorker = SharedCounter()
        let failures = SharedCounter()
        runOnThreads(1) { _ in
            guard let held = try? leaf.reserve(100) else {
                failures.increment()
                return
            }
            held.release()
            stockedOnWorker.increment(by: leaf.stocked)
        }
        #expect(failures.current == 0)
        #expect(stockedOnWorker.current == batch)
        #expect(leaf.stocked == 0)
        expectAccounts([root, mid, leaf], charged: 0, used: 0)
    }

    @Test(.enabled(if: stocksAvailable))
    func droppedBudgetGivesItsStocksBackToItsAncestors() throws {
        let root = try MemoryBudget(name: "engine", limit: 1 << 30)
        do {
            let leaf = try root.child(name: "execution", limit: 1 << 30)
            _ = try leaf.reserve(100)
            #expect(root.charged == batch)
            #expect(leaf.stocked == batch)  // the last use of `leaf`: its deinit may follow
        }
        #expect(root.charged == 0)
    }

    @Test func reservationsServedFromTheStockAreCountedInTheStatistics() throws {
        let (_, _, leaf) = try makeRoomyHierarchy()
        var held = try leaf.reserve(10)
        for _ in 0..<4 {
            _ = try leaf.reserve(10)
        }
        try held.grow(by: 10)
        expectAllocError(.budgetExceeded) { _ = try leaf.reserve(1 << 31) }
        #expect(leaf.statistics.reservations == 6)
        #expect(leaf.statistics.denials == 1)
        #expect(leaf.used == 20)
        held.release()
        #expect(leaf.used == 0)
    }

    @Test(.enabled(if: stocksAvailable))
    func peakCountsStockedBytesAndStaysWithinTheLimit() throws {
        let (root, mid, leaf) = try makeRoomyHierarchy()
        let held = try leaf.reserve(100)
        #expect([root.peak, mid.peak, leaf.peak] == [batch + 100, batch + 100, batch + 100])
        #expect(leaf.statistics.peak == batch + 100)
        held.release()
        root.drainStocks()
        #expect(leaf.peak == batch + 100)
        #expect(leaf.peak <= leaf.limit)
        // Close to the limit the peak is what is reserved: a stock never takes a level past it.
        let tight = kept(try MemoryBudget(name: "engine", limit: 5000))
        let workflow = kept(try tight.child(name: "workflow", limit: 1 << 30))
        let full = try workflow.reserve(5000)
        #expect([tight.peak, workflow.peak] == [5000, 5000])
        full.release()
        #expect([tight.charged, workflow.charged] == [0, 0])
    }

    // MARK: Stress

    /// Limits below one batch per thread: every charge is exact, and a denial first drains
    /// whatever stock there is.
    @Test func concurrentChargesNearTheLimitsNeverPassThemAndAllReturnToZero() throws {
        let run = try StockStressRun(
            stockBatch: 4096, engineLimit: 12_000, workflowLimits: [9000, 9000],
            executionLimits: [6000, 6000, 6000, 6000], largestRequests: [2000, 2000, 2000, 2000])
        run.start()
        run.expectSettled()
    }

    /// Two workers keep stocks far from their limits while the two others are denied at theirs,
    /// and every denial drains the stocks the first two are using.
    @Test func denialsDrainStocksThatOtherThreadsAreUsing() throws {
        let run = try StockStressRun(
            stockBatch: 256, engineLimit: 1 << 16, workflowLimits: [1 << 20, 1600],
            executionLimits: [1 << 20, 1 << 20, 1000, 1000], largestRequests: [256, 256, 500, 500])
        run.start()
        run.expectSettled()
        if stocksAvailable {
            #expect(run.counters.grantsWithStock.current > 0, "no grant left a stock behind")
        }
    }
}

// MARK: - Stress support

/// The bytes the workers hold on one budget, counted after each grant and before each release,
/// so the count never exceeds what is reserved.
private final class LevelTally: Sendable {
    let budget: MemoryBudget
    private let live = Atomic<Int>(0)

    init(_ budget: MemoryBudget) {
        self.budget = budget
    }

    /// Counts a grant; false when the held bytes or the budget's charge (stocks included) pass
    /// its limit.
    func add(_ amount: Int) -> Bool {
        let now = live.add(amount, ordering: .relaxed).newValue
        return now <= budget.limit && budget.charged <= budget.limit
    }

    func subtract(_ amount: Int) {
        live.subtract(amount, ordering: .relaxed)
    }
}

/// What the workers of a stress run saw.
private final class StressCounters: Sendable {
    let granted = SharedCounter()
    let denied = SharedCounter()
    /// Errors other than `ALLOC_BUDGET_EXCEEDED`.
    let unexpected = SharedCounter()
    /// Grants after which some level was over its limit.
    let overLimit = SharedCounter()
    /// Grants after which the worker's execution budget held a stock.
    let grantsWithStock = SharedCounter()
}

/// One worker's moves on its execution budget.
private struct StressWorker {
    let leaf: MemoryBudget
    /// The tallies of the leaf and its ancestors.
    let chain: [LevelTally]
    let counters: StressCounters

    private func granted(_ bytes: Int) {
        for tally in chain where !tally.add(bytes) {
            counters.overLimit.increment()
        }
        counters.granted.increment()
        if leaf.stocked > 0 { counters.grantsWithStock.increment() }
    }

    private func releasing(_ bytes: Int) {
        for tally in chain { tally.subtract(bytes) }
    }

    private func denied(_ error: AllocError) {
        if error.code == .budgetExceeded {
            counters.denied.increment()
        } else {
            counters.unexpected.increment()
        }
    }

    /// One random move on a slot: reserve into an empty one; grow, shrink or release a full one.
    func move(_ slot: inout Reservation?, action: Int, size: Int) {
        guard var held = slot.take() else {
            do throws(AllocError) {
                let reservation = try leaf.reserve(size)
                granted(size)
                slot = consume reservation
            } catch {
                denied(error)
            }
            return
        }
        switch action {
        case 0:
            do throws(AllocError) {
                try held.grow(by: size)
                granted(size)
            } catch {
                denied(error)
            }
            slot = consume held
        case 1:
            let cut = held.bytes / 2
            releasing(cut)
            try? held.shrink(by: cut)
            slot = consume held
        default:
            releasing(held.bytes)
            held.release()
        }
    }
}

/// engine ← workflows ← one execution per worker (worker `i` under workflow `i × workflows /
/// workers`), each execution with its own stock batch; the workers reserve, grow, shrink and
/// release at random.
private struct StockStressRun {
    let engine: MemoryBudget
    let workflows: [MemoryBudget]
    let executions: [MemoryBudget]
    let largestRequests: [Int]
    let counters = StressCounters()

    var all: [MemoryBudget] { [engine] + workflows + executions }

    init(stockBatch: Int, engineLimit: Int, workflowLimits: [Int], executionLimits: [Int], largestRequests: [Int])
        throws
    {
        let engine = kept(try MemoryBudget(name: "engine", limit: engineLimit))
        let workflows = try workflowLimits.indices.map { index throws(AllocError) in
            try engine.child(name: "workflow-\(index)", limit: workflowLimits[index])
        }
        executions = try executionLimits.indices.map { index throws(AllocError) in
            try workflows[index * workflows.count / executionLimits.count].child(
                name: "execution-\(index)", limit: executionLimits[index], stockBatch: stockBatch)
        }
        self.engine = engine
        self.workflows = workflows
        self.largestRequests = largestRequests
    }

    /// Runs 20,000 random moves on each of the workers' threads and joins them.
    func start(steps: Int = 20_000) {
        let tallies = all.map(LevelTally.init)
        let leaves = self.executions
        let largest = self.largestRequests
        let counters = self.counters
        runOnThreads(leaves.count) { index in
            let leaf = leaves[index]
            let chain = tallies.filter { leaf.isWithin($0.budget) }
            let worker = StressWorker(leaf: leaf, chain: chain, counters: counters)
            var generator = SeededGenerator(seed: UInt64(index + 1))
            // Reservations are not copyable, so the thread holds them in two slots.
            var first: Reservation? = nil
            var second: Reservation? = nil
            for round in 0..<steps {
                let action = Int.random(in: 0..<4, using: &generator)
                let size = Int.random(in: 1...largest[index], using: &generator)
                if round % 2 == 0 {
                    worker.move(&first, action: action, size: size)
                } else {
                    worker.move(&second, action: action, size: size)
                }
            }
            let untally = { (bytes: Int) in for tally in chain { tally.subtract(bytes) } }
            release(&first, untally: untally)
            release(&second, untally: untally)
        }
    }

    /// Checks what must hold once every worker has exited.
    func expectSettled(sourceLocation: SourceLocation = #_sourceLocation) {
        // The workers' threads exited: their stocks went back with them.
        for budget in all {
            #expect(
                budget.charged == 0, "\(budget.path) still charges \(budget.charged) bytes",
                sourceLocation: sourceLocation)
        }
        engine.drainStocks()
        for budget in all {
            #expect(budget.charged == 0, "\(budget.path) charges bytes after a drain", sourceLocation: sourceLocation)
            #expect(budget.used == 0, "\(budget.path) still holds bytes", sourceLocation: sourceLocation)
            #expect(budget.stocked == 0, sourceLocation: sourceLocation)
            #expect(budget.peak <= budget.limit, "\(budget.path) peaked over its limit", sourceLocation: sourceLocation)
        }
        #expect(counters.overLimit.current == 0, "a level went over its limit", sourceLocation: sourceLocation)
        #expect(counters.unexpected.current == 0, sourceLocation: sourceLocation)
        #expect(counters.granted.current > 0, sourceLocation: sourceLocation)
        #expect(counters.denied.current > 0, sourceLocation: sourceLocation)
        #expect(
            executions.map(\.statistics.reservations).reduce(0, +) == counters.granted.current,
            sourceLocation: sourceLocation)
        #expect(
            executions.map(\.statistics.denials).reduce(0, +) == counters.denied.current,
            sourceLocation: sourceLocation)
    }
}

extension MemoryBudgetStockTests {
    /// Budgets die on one thread while another walks the stock registry (`used`, a drain):
    /// the walk must not retain a budget whose deinit has begun, which would run that deinit
    /// twice.
    @Test func registryWalksDoNotResurrectDyingBudgets() throws {
        let watcher = kept(try MemoryBudget(name: "watcher", limit: 1 << 30))
        let stop = SharedFlag()
        runOnThreads(2) { thread in
            if thread == 0 {
                for round in 0..<3000 {
                    guard let engine = try? MemoryBudget(name: "engine-\(round)", limit: 1 << 30),
                        let workflow = try? engine.child(name: "workflow", limit: 1 << 30),
                        let reservation = try? workflow.reserve(64)
                    else { continue }
                    reservation.release()
                }
                stop.raise()
            } else {
                while !stop.isRaised {
                    _ = watcher.used
                    watcher.drainStocks()
                }
            }
        }
        #expect(watcher.used == 0)
    }
}
