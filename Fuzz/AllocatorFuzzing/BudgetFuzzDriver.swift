import NebulaMemory

/// Runs reservations against a three-level hierarchy of strict budgets (engine, two
/// workflows, two nodes each) beside a model of each level's use and limit: every grant must
/// fit every level on its path, every refusal must come from a level that would pass its limit,
/// bad amounts get their codes, and a failed operation changes no level.
final class BudgetFuzzDriver: FuzzDriver {
    /// A reservation the driver holds; a class, since an array cannot hold a noncopyable value.
    /// Dropping it runs the reservation's deinit, the path an unreleased reservation takes.
    private final class Held {
        var reservation: Reservation
        let level: Int
        init(_ reservation: consuming Reservation, level: Int) {
            self.reservation = reservation
            self.level = level
        }
    }

    /// Reservations do not keep their budgets alive: the budgets go last (see `deinit`).
    private var budgets: [MemoryBudget] = []
    /// Each level's parent index (-1 for the engine).
    private let parents = [-1, 0, 0, 1, 1, 2, 2]
    private var used: [Int]
    private var limits: [Int]
    private var held: [Held] = []
    private(set) var trace: [String] = []

    init(_ input: inout FuzzInput) throws(FuzzFailure) {
        limits = parents.map { _ in input.uint16() % 8192 }
        used = Array(repeating: 0, count: parents.count)
        // Small batches put the per-thread stocks to work under these small limits; the model
        // knows nothing of them, so every grant and denial must still be exact.
        let stockBatch = input.pick([0, 16, 64, 256, MemoryBudget.defaultStockBatch])
        do throws(AllocError) {
            for (index, parent) in parents.enumerated() {
                budgets.append(
                    parent < 0
                        ? try MemoryBudget(name: "engine", limit: limits[index], stockBatch: stockBatch)
                        : try budgets[parent].child(name: "level\(index)", limit: limits[index], stockBatch: stockBatch)
                )
            }
        } catch {
            throw FuzzFailure("creating the budgets failed: \(error)")
        }
    }

    deinit {
        held.removeAll()
    }

    func checkInvariants() throws(FuzzFailure) {
        for (index, budget) in budgets.enumerated() {
            try require(budget.used == used[index], "\(budget.path) used \(budget.used), model \(used[index])")
            try require(budget.used <= budget.limit, "\(budget.path) used \(budget.used) over its limit")
            // A stock counts against the limit like a reservation.
            try require(budget.charged <= budget.limit, "\(budget.path) charged \(budget.charged) over its limit")
        }
    }

    private static func amount(_ input: inout FuzzInput) -> Int {
        switch input.byte() % 8 {
        case 0..<5: input.uint16() % 4096
        case 5: -1 - Int(input.byte())
        case 6: input.pick([Int.max, Int.max - 1, Int.min, 1 << 62])
        default: 0
        }
    }

    func step(_ input: inout FuzzInput) throws(FuzzFailure) {
        let opcode = input.byte() % 7
        let level = Int(input.byte()) % parents.count
        let slot = Int(input.byte())
        let amount = Self.amount(&input)
        let before = budgets.map { ($0.used, $0.limit) }
        var outcome: Result<Void, AllocError> = .success(())
        var expected: AllocError.Code?
        switch opcode {
        case 0, 1:
            trace.append("reserve(\(amount)) at level \(level)")
            expected = amount < 0 ? .invalidLayout : refusal(amount, from: level)
            do throws(AllocError) {
                held.append(Held(try budgets[level].reserve(amount), level: level))
                charge(amount, from: level)
            } catch { outcome = .failure(error) }
        case 2:
            guard let entry = pick(slot) else { return }
            let bytes = entry.reservation.bytes
            trace.append("grow(by: \(amount)) a reservation of \(bytes) at level \(entry.level)")
            expected =
                amount < 0 || bytes.addingReportingOverflow(amount).overflow
                ? .invalidLayout : refusal(amount, from: entry.level)
            do throws(AllocError) {
                try entry.reservation.grow(by: amount)
                charge(amount, from: entry.level)
            } catch { outcome = .failure(error) }
        case 3:
            guard let entry = pick(slot) else { return }
            let bytes = entry.reservation.bytes
            trace.append("shrink(by: \(amount)) a reservation of \(bytes) at level \(entry.level)")
            expected = (0...bytes).contains(amount) ? nil : .invalidLayout
            do throws(AllocError) {
                try entry.reservation.shrink(by: amount)
                charge(-amount, from: entry.level)
            } catch { outcome = .failure(error) }
        case 4:
            guard let entry = pick(slot) else { return }
            trace.append("release a reservation of \(entry.reservation.bytes) at level \(entry.level)")
            charge(-entry.reservation.bytes, from: entry.level)
            held.removeAll { $0 === entry }
        case 6:
            trace.append("drainStocks() at level \(level)")
            budgets[level].drainStocks()
            for (index, budget) in budgets.enumerated() where budget.isWithin(budgets[level]) {
                try require(budget.charged == used[index], "\(budget.path) charged \(budget.charged) after a drain")
            }
        default:
            let limit = amount == 0 ? 0 : amount % 8192
            trace.append("setLimit(\(limit)) at level \(level)")
            expected = limit < 0 ? .invalidConfiguration : used[level] > limit ? .invalidState : nil
            do throws(AllocError) {
                try budgets[level].setLimit(limit)
                limits[level] = limit
            } catch { outcome = .failure(error) }
        }
        switch (outcome, expected) {
        case (.success, nil): return
        case (.success, let code?): throw FuzzFailure("succeeded, expected \(code.rawValue)")
        case (.failure(let error), let code):
            try require(
                error.code == code,
                "threw \(error.code.rawValue) (\(error.message)), expected \(code?.rawValue ?? "success")")
            let after = budgets.map { ($0.used, $0.limit) }
            try require(after.elementsEqual(before, by: ==), "a failed operation changed the budgets")
        }
    }

    private func pick(_ slot: Int) -> Held? {
        held.isEmpty ? nil : held[slot % held.count]
    }

    /// The code of the refusal of `bytes` at `level`, or nil when every level on the path has room.
    private func refusal(_ bytes: Int, from level: Int) -> AllocError.Code? {
        var index = level
        while index >= 0 {
            let (total, overflow) = used[index].addingReportingOverflow(bytes)
            if overflow || total > limits[index] { return .budgetExceeded }
            index = parents[index]
        }
        return nil
    }

    private func charge(_ bytes: Int, from level: Int) {
        var index = level
        while index >= 0 {
            used[index] += bytes
            index = parents[index]
        }
    }
}
