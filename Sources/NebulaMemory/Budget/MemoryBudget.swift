import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A limit on the bytes a part of the engine may hold, nested engine → workflow → execution.
///
/// A reservation charges the budget and every ancestor, all or nothing: when any level would
/// pass its limit, no level is charged and the call throws `ALLOC_BUDGET_EXCEEDED`.
///
/// ```swift
/// let engine = try MemoryBudget(name: "engine", limit: 1 << 30)
/// let workflow = try engine.child(name: "workflow-42", limit: 256 << 20)
/// var buffer = try workflow.reserve(64 << 10)   // charged to both
/// try buffer.grow(by: 4096)
/// buffer.release()                              // refunded to both (deinit does the same)
/// ```
///
/// All members are thread-safe: counters are atomics, updated with compare-and-swap (or under a
/// short lock, for a budget with `reserveAhead`) so that no level's use passes its ceiling even
/// for a moment.
public final class MemoryBudget: Sendable {
    // Changed only when a memory context recycles its budget, which it does only while it holds
    // the one reference to it (no other thread can read it then, and no access can overlap the
    // write, so it skips the run-time exclusivity check).
    /// The budget's own name, e.g. `workflow-42`.
    @exclusivity(unchecked) public nonisolated(unsafe) private(set) var name: String
    /// Its place in the hierarchy: the names from the root, joined by `/`. Built when asked
    /// (for messages), so that creating a child costs no string.
    ///
    /// - Complexity: a walk up the hierarchy, building one string per level.
    public var path: String { parent.map { $0.path + "/" + name } ?? name }
    /// The budget this one is nested in; `nil` for a root.
    public let parent: MemoryBudget?
    /// What happens to a reservation that would pass the limit.
    public let policy: Policy

    // The policy unpacked, so that a charge does not copy an enum holding a closure.
    private let overcommit: Int
    private let pressureFractions: PressureFractions?
    let onOvercommit: (@Sendable (OvercommitReport) -> Void)?

    let usedBytes = Atomic<Int>(0)
    let limitBytes: Atomic<Int>
    let peakBytes = Atomic<Int>(0)
    /// Bytes charged to the ancestors ahead of use, in steps of `reserveAhead` (see
    /// MemoryBudget+ReserveAhead.swift); both 0 for a budget that charges them per reservation.
    let reserveAhead: Int
    let creditBytes = Atomic<Int>(0)
    let creditLock = Atomic<Bool>(false)
    /// The most bytes one thread keeps charged ahead for reservations on this budget: 0 when
    /// every reservation is charged exactly.
    ///
    /// A reservation of at most this size that the thread's stock cannot serve charges every
    /// level `stockBatch` bytes more at once; releases go back to the stock up to that size.
    /// So the hierarchy's counters are touched once per batch, not per reservation. The stock
    /// also serves what the budget's descendants charge through it (their reservations and
    /// arena chunks), so a child with `stockBatch` 0 is still charged above it by the batch; a
    /// hierarchy is charged exactly only where every level has `stockBatch` 0. A stock
    /// counts against every limit like a reservation: ``charged`` includes it, ``used`` does
    /// not. Where some level's headroom is below
    /// `stockBatch` times the number of threads, charges are exact, and a charge that would be
    /// denied first drains every stock of the hierarchy, so limits grant every byte they have.
    /// Stocks are given back when their thread exits, by ``drainStocks()``, ``setLimit(_:)``,
    /// ``updatePressure(_:)`` and the budget's deinit.
    public let stockBatch: Int
    /// Drains that keep this budget's stocks revoked past the registry's lock; the deinit waits
    /// for them.
    let drainHolds = Atomic<Int>(0)
    /// The address of the per-thread stock slots, made on the first stocked charge; 0 before.
    /// An integer, since a pointer is not `Sendable`: the slots are shared by design.
    let stockSlotsAddress = Atomic<Int>(0)
    /// This budget or an ancestor has an overcommit callback.
    let reportsOvercommitInChain: Bool
    /// `reserveAhead > 0` and there is a parent to charge ahead.
    let chargesAhead: Bool
    /// `parent`, unretained, for ``onParent(_:)``.
    let parentReference: Unmanaged<MemoryBudget>?
    let grantCount = Atomic<Int>(0)
    /// Set once a `MemoryRegistry` holds the budget: a closing memory context then does not
    /// recycle it, since the registry would go on reading it under its old name.
    let registered = Atomic<Bool>(false)
    let denialCount = Atomic<Int>(0)
    /// The root's pressure level, shared by the whole hierarchy.
    /// Held strongly by the root only: a child's parent chain keeps it alive, and a shared
    /// reference count would be one more contended atomic for every child created.
    private let pressureCell: Unmanaged<_PressureCell>
    private var pressureLevel: _PressureCell { pressureCell.takeUnretainedValue() }
    /// The state the whole hierarchy shares.
    var hierarchy: _PressureCell { pressureCell.takeUnretainedValue() }
    private let ownedPressureCell: _PressureCell?
    /// Keeps the counters above off the cache line of the next object in memory, whose
    /// reference count other threads may write (false sharing between sibling budgets).
    private let cacheLinePadding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// Creates a root budget.
    ///
    /// A thread that reserves from a budget keeps up to `stockBatch` bytes charged ahead (its
    /// *stock*), so that small reservations and releases touch no shared counter; see
    /// ``stockBatch``. Pass 0 to charge every reservation exactly.
    ///
    /// - Parameters:
    ///   - name: the budget's name, non-empty and without `/` (the separator of ``path``).
    ///   - limit: the limit in bytes, 0 or more (see ``effectiveLimit`` for what the policy
    ///     makes of it).
    ///   - policy: what happens to a reservation that would pass the limit; `.strict` by default.
    ///   - stockBatch: the most bytes a thread keeps charged ahead; 0 or more.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a negative limit or `stockBatch`, an empty
    ///   name or a name with `/`, a negative overcommit, or pressure fractions outside `0...1`.
    public convenience init(
        name: String, limit: Int, policy: Policy = .strict, stockBatch: Int = MemoryBudget.defaultStockBatch
    ) throws(AllocError) {
        try Self.validate(name: name, limit: limit, policy: policy, stockBatch: stockBatch)
        self.init(
            validName: name, limit: limit, policy: policy, reserveAhead: 0, stockBatch: stockBatch, parent: nil)
    }

    /// The default ``stockBatch``: 64 KiB.
    public static let defaultStockBatch = 64 << 10

    private init(
        validName name: String, limit: Int, policy: Policy, reserveAhead: Int, stockBatch: Int, parent: MemoryBudget?
    ) {
        self.name = name
        self.reserveAhead = reserveAhead
        // An overcommit callback (here or above) may run user code inside a charge, which must
        // not happen inside a stock's section: such budgets charge exactly.
        var reportsOvercommit = false
        if case .soft(_, .some) = policy { reportsOvercommit = true }
        self.reportsOvercommitInChain = reportsOvercommit || (parent?.reportsOvercommitInChain ?? false)
        self.stockBatch = reserveAhead > 0 || reportsOvercommitInChain ? 0 : stockBatch
        self.parent = parent
        self.parentReference = parent.map { Unmanaged.passUnretained($0) }
        self.chargesAhead = reserveAhead > 0 && parent != nil
        self.policy = policy
        switch policy {
        case .strict: (overcommit, pressureFractions, onOvercommit) = (0, nil, nil)
        case .soft(let extra, let report): (overcommit, pressureFractions, onOvercommit) = (extra, nil, report)
        case .pressureAware(let fractions): (overcommit, pressureFractions, onOvercommit) = (0, fractions, nil)
        }
        self.limitBytes = Atomic(limit)
        let ownCell = parent == nil ? _PressureCell() : nil
        self.ownedPressureCell = ownCell
        self.pressureCell = parent?.pressureCell ?? Unmanaged.passUnretained(ownCell!)
    }

    /// Creates a budget nested in this one: what it reserves is charged here too.
    ///
    /// A child's limit may be larger than its parent's (the parent still bounds it); that lets
    /// several children share a parent's bytes first-come first-served.
    ///
    /// With `reserveAhead` above 0 the child charges this budget and its ancestors in steps of
    /// that many bytes and serves smaller reservations from what it charged, touching only its
    /// own counters: for a budget that many tasks reserve from at once, where the shared
    /// ancestors' counters would be contended. The ancestors then count up to
    /// `2 × reserveAhead` bytes more than is reserved below them (never more than the child's
    /// limit allows); ``returnReservedAhead()`` gives the unused part back, as does the child's
    /// deinit. Limits hold as before: what is charged ahead still counts against every limit.
    ///
    /// `stockBatch` is as for ``init(name:limit:policy:stockBatch:)``; a budget with
    /// `reserveAhead`, or with an overcommit callback on it or an ancestor (which must not run
    /// inside a stock's bookkeeping), keeps no per-thread stock.
    ///
    /// - Parameters:
    ///   - name: the child's name, non-empty and without `/`.
    ///   - limit: the child's own limit, 0 or more.
    ///   - policy: what happens to a reservation that would pass the child's limit.
    ///   - reserveAhead: the step, in bytes, in which the child charges its ancestors ahead; 0
    ///     (the default) charges them per reservation.
    ///   - stockBatch: the most bytes a thread keeps charged ahead for the child; 0 or more.
    /// - Returns: the child, which keeps this budget alive.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``init(name:limit:policy:stockBatch:)``, or for a
    ///   negative `reserveAhead`.
    public func child(
        name: String, limit: Int, policy: Policy = .strict, reserveAhead: Int = 0,
        stockBatch: Int = MemoryBudget.defaultStockBatch
    ) throws(AllocError) -> MemoryBudget {
        try Self.validate(name: name, limit: limit, policy: policy, stockBatch: stockBatch)
        guard reserveAhead >= 0 else {
            throw AllocError(
                .invalidConfiguration, "budget: reserveAhead \(reserveAhead) is negative", allocatorKind: .budget)
        }
        return MemoryBudget(
            validName: name, limit: limit, policy: policy, reserveAhead: reserveAhead, stockBatch: stockBatch,
            parent: self)
    }

    deinit {
        // Children and allocators keep a budget alive; reservations do not (see ``Reservation``).
        if stockSlotsAddress.load(ordering: .relaxed) != 0 {
            _StockRegistry.unregister(self)
            while drainHolds.load(ordering: .acquiring) != 0 { sched_yield() }
        }
        let stocks = stockSlots?.stocked ?? 0
        let live = usedBytes.load(ordering: .relaxed) - (chargesAhead ? 0 : stocks)
        assert(
            live == 0,
            "budget \(path) deinitialized while reservations of \(live) bytes are live: a Reservation must not outlive its budget"
        )
        let credit = creditBytes.load(ordering: .relaxed) - usedBytes.load(ordering: .relaxed)
        let unused = (chargesAhead ? max(0, credit) : 0) + stocks
        if let parent, unused > 0 { parent.refundExactly(unused) }
        stockSlots?.free()
    }

    // MARK: State

    /// Bytes reserved now, here and in every descendant.
    ///
    /// Exact when no reservation is changing meanwhile; what threads keep in stock is not
    /// counted (see ``charged``). Reading it sums the stocks of this budget and those below
    /// it, so it costs more than a load: it is for reports, not for hot paths.
    ///
    /// - Complexity: a load until some budget keeps per-thread stocks; from then on, a walk
    ///   under a process-wide lock over every budget that keeps them (each checked up its
    ///   ancestry), summing the per-thread stocks of this budget and those below it.
    public var used: Int {
        let charged = usedBytes.load(ordering: .relaxed)
        guard _StockRegistry.isActive else { return charged }
        return max(0, charged - _StockRegistry.stocked { $0.isWithin(self) })
    }

    /// Bytes counted against the limit now: ``used`` plus what threads keep in stock for this
    /// budget and those below it (at most ``stockBatch`` per thread and budget).
    public var charged: Int { usedBytes.load(ordering: .relaxed) }

    /// The configured limit (see ``effectiveLimit`` for what the policy grants now).
    public var limit: Int { limitBytes.load(ordering: .relaxed) }

    /// The most this budget grants before denying: the limit, plus the overcommit of a `.soft`
    /// policy, or the pressure-scaled share of a `.pressureAware` one.
    public var effectiveLimit: Int { ceiling(limit: limit) }

    /// Bytes that can still be reserved here, ignoring ancestors; 0 when over the limit.
    ///
    /// - Complexity: that of ``used``.
    public var available: Int { max(0, effectiveLimit - used) }

    /// The most bytes reserved at once since creation.
    public var peak: Int { peakBytes.load(ordering: .relaxed) }

    /// The hierarchy's memory pressure, as last set by ``updatePressure(_:)``.
    public var pressure: MemoryPressure {
        MemoryPressure(rawValue: pressureLevel.level.load(ordering: .relaxed)) ?? .normal
    }

    /// Counters of grants, denials and the peak.
    public var statistics: Statistics {
        Statistics(
            reservations: grantCount.load(ordering: .relaxed) &+ (stockSlots?.grants ?? 0),
            denials: denialCount.load(ordering: .relaxed),
            peak: peak)
    }

    // MARK: Changes

    /// Reserves `bytes` here and in every ancestor.
    ///
    /// - Parameter bytes: how many bytes to hold, 0 or more.
    /// - Returns: the reservation, which gives the bytes back when released or dropped; keep
    ///   this budget alive for as long as it lives.
    /// - Throws: `ALLOC_BUDGET_EXCEEDED` naming the level that would pass its limit (every
    ///   level is then unchanged); `ALLOC_INVALID_LAYOUT` for a negative size.
    public func reserve(_ bytes: Int) throws(AllocError) -> Reservation {
        // The calling thread's stock first, without the checks a charge makes on its way to it.
        if stockBatch > 0, bytes >= 0, chargeFromStock(bytes, counted: true) {
            return Reservation(charged: self, bytes: bytes)
        }
        try charge(bytes)
        return Reservation(charged: self, bytes: bytes)
    }

    /// Sets the pressure level every `.pressureAware` budget of this hierarchy scales its limit
    /// by; a ``MemoryMonitor`` or the host calls this. Reservations already granted stay.
    ///
    /// - Parameter level: the new level, for the whole hierarchy (not just this budget).
    /// - Complexity: a store, plus, once any budget keeps per-thread stocks, a drain of every
    ///   stock in the hierarchy, which costs as ``drainStocks()`` does.
    public func updatePressure(_ level: MemoryPressure) {
        pressureLevel.level.store(level.rawValue, ordering: .relaxed)
        if _StockRegistry.isActive { drainHierarchyStocks() }
    }

    /// Readies a memory context's budget, which nothing else references and nothing is charged
    /// to, for its next context: a new name and limit, counters from zero.
    ///
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a bad name or limit (nothing changes then).
    func recycle(name: String, limit: Int) throws(AllocError) {
        // The other settings stay as validated; a name kept from the last use is valid too.
        if limit < 0 || name != self.name {
            try Self.validate(name: name, limit: limit, policy: policy, stockBatch: stockBatch)
            self.name = name
        }
        limitBytes.store(limit, ordering: .relaxed)
        peakBytes.store(0, ordering: .relaxed)
        grantCount.store(0, ordering: .relaxed)
        denialCount.store(0, ordering: .relaxed)
    }

    /// Whether `other` belongs to the same hierarchy.
    func sharesRoot(with other: MemoryBudget) -> Bool {
        pressureCell.toOpaque() == other.pressureCell.toOpaque()
    }

    /// Changes the limit at run time.
    ///
    /// A `.strict` budget refuses a limit below its use; `.soft` and `.pressureAware` budgets
    /// accept it and deny new reservations until enough is released.
    ///
    /// - Parameter newLimit: the new limit in bytes, 0 or more.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a negative limit; `ALLOC_INVALID_STATE` when
    ///   a strict budget holds more than `newLimit` (the limit is then unchanged).
    /// - Complexity: O(1), plus, once any budget keeps per-thread stocks, ``drainStocks()``.
    public func setLimit(_ newLimit: Int) throws(AllocError) {
        guard newLimit >= 0 else {
            throw AllocError(
                .invalidConfiguration, "budget \(path): limit \(newLimit) is negative", allocatorKind: .budget)
        }
        // What threads keep in stock here and below would count as reserved.
        if _StockRegistry.isActive { drainStocks() }
        // A reserve-ahead budget charges under its lock: taking it orders the two plainly.
        if chargesAhead { lockCredit() }
        defer { if chargesAhead { unlockCredit() } }
        let old = limitBytes.exchange(newLimit, ordering: .sequentiallyConsistent)
        guard case .strict = policy else { return }
        // Pairs with the re-check in `chargeLevel`: a racing reservation sees either the new
        // limit or is seen here, so a strict budget never ends over a limit it accepted.
        let inUse = usedBytes.load(ordering: .sequentiallyConsistent)
        if inUse > newLimit {
            _ = limitBytes.compareExchange(
                expected: newLimit, desired: old, ordering: .sequentiallyConsistent)
            throw AllocError(
                .invalidState, "budget \(path): cannot lower the limit to \(newLimit), \(inUse) bytes are reserved",
                allocatorKind: .budget, capacity: old, used: inUse,
                suggestion: "release reservations first, or use a .soft or .pressureAware policy")
        }
    }

    @inline(__always)
    func ceiling(limit: Int) -> Int {
        if let pressureFractions {
            let fraction = pressureFractions.fraction(at: pressure)
            return fraction >= 1 ? limit : Int(Double(limit) * fraction)
        }
        let (sum, overflow) = limit.addingReportingOverflow(overcommit)
        return overflow ? .max : sum
    }

    private static func validate(name: String, limit: Int, policy: Policy, stockBatch: Int) throws(AllocError) {
        var problem: String?
        if stockBatch < 0 {
            problem = "stockBatch \(stockBatch) is negative"
        } else if name.isEmpty || name.utf8.contains(UInt8(ascii: "/")) {
            problem = "name \"\(name)\" must be non-empty and without \"/\""
        } else if limit < 0 {
            problem = "limit \(limit) is negative"
        } else if case .soft(let overcommit, _) = policy, overcommit < 0 {
            problem = "overcommit \(overcommit) is negative"
        } else if case .pressureAware(let fractions) = policy,
            ![fractions.moderate, fractions.high, fractions.critical].allSatisfy({ (0...1).contains($0) })
        {
            problem = "pressure fractions must lie in 0...1"
        }
        if let problem {
            throw AllocError(.invalidConfiguration, "budget: \(problem)", allocatorKind: .budget)
        }
    }
}
