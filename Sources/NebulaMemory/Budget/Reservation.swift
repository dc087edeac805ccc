/// Bytes held against a ``MemoryBudget`` and all its ancestors, given back exactly once.
///
/// A reservation cannot be copied, so it cannot be released twice: ``release()`` consumes it,
/// and one that goes out of scope unreleased is released by its `deinit`.
///
/// - Important: A reservation does not keep its budget alive (that would cost two atomic
///   reference-count updates on every reserve and release): keep a reference to the budget
///   for as long as any of its reservations lives. Debug builds stop with a message when a
///   budget is deinitialized while reservations of it are live.
public struct Reservation: ~Copyable, Sendable {
    private let budgetReference: Unmanaged<MemoryBudget>
    /// The bytes held now.
    public private(set) var bytes: Int

    /// A reservation of bytes already charged to `budget` and its ancestors.
    @inline(__always)
    init(charged budget: MemoryBudget, bytes: Int) {
        self.budgetReference = Unmanaged.passUnretained(budget)
        self.bytes = bytes
    }

    /// The budget charged.
    public var budget: MemoryBudget { budgetReference.takeUnretainedValue() }

    /// Holds `extra` more bytes, charged like a new reservation: all levels or none.
    ///
    /// - Parameter extra: how many bytes to add, 0 or more.
    /// - Throws: `ALLOC_BUDGET_EXCEEDED` (the reservation is then unchanged), or
    ///   `ALLOC_INVALID_LAYOUT` for a negative amount or one that overflows `Int`.
    public mutating func grow(by extra: Int) throws(AllocError) {
        guard extra >= 0, !bytes.addingReportingOverflow(extra).overflow else {
            throw AllocError(
                .invalidLayout, "budget \(budget.path): cannot grow a reservation of \(bytes) bytes by \(extra)",
                allocatorKind: .budget, suggestion: "grow by 0 or more bytes; use shrink(by:) to give bytes back")
        }
        if let error = budgetReference._withUnsafeGuaranteedRef({ $0.chargeReportingError(extra) }) { throw error }
        bytes += extra
    }

    /// Gives `amount` of the held bytes back to every level.
    ///
    /// - Parameter amount: how many bytes to give back, from 0 up to ``bytes``.
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `amount` is negative or more than ``bytes``; the
    ///   reservation is then unchanged.
    public mutating func shrink(by amount: Int) throws(AllocError) {
        guard (0...bytes).contains(amount) else {
            throw AllocError(
                .invalidLayout, "budget \(budget.path): cannot shrink a reservation of \(bytes) bytes by \(amount)",
                allocatorKind: .budget, suggestion: "shrink by 0 up to the reserved bytes")
        }
        budgetReference._withUnsafeGuaranteedRef { $0.refund(amount) }
        bytes -= amount
    }

    /// Gives every held byte back now; `deinit` does the same for a reservation dropped unreleased.
    public consuming func release() {}

    deinit {
        budgetReference._withUnsafeGuaranteedRef { budget in
            if budget.stockBatch == 0 || !budget.refundToStock(bytes) { budget.refundChain(bytes) }
        }
    }
}
