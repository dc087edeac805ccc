/// Bytes held against a ``MemoryBudget`` and all its ancestors, given back exactly once.
///
/// A reservation cannot be copied, so it cannot be released twice: ``release()`` consumes it,
/// and one that goes out of scope unreleased is released by its `deinit`.
public struct Reservation: ~Copyable, Sendable {
    /// The budget charged.
    public let budget: MemoryBudget
    /// The bytes held now.
    public private(set) var bytes: Int

    /// A reservation of bytes already charged to `budget` and its ancestors.
    init(charged budget: MemoryBudget, bytes: Int) {
        self.budget = budget
        self.bytes = bytes
    }

    /// Holds `extra` more bytes, charged like a new reservation: all levels or none.
    ///
    /// - Throws: `ALLOC_BUDGET_EXCEEDED` (the reservation is then unchanged), or
    ///   `ALLOC_INVALID_LAYOUT` for a negative amount or one that overflows `Int`.
    public mutating func grow(by extra: Int) throws(AllocError) {
        guard extra >= 0, !bytes.addingReportingOverflow(extra).overflow else {
            throw AllocError(
                .invalidLayout, "budget \(budget.path): cannot grow a reservation of \(bytes) bytes by \(extra)",
                allocatorKind: "budget", suggestion: "grow by 0 or more bytes; use shrink(by:) to give bytes back")
        }
        try budget.charge(extra)
        bytes += extra
    }

    /// Gives `amount` of the held bytes back to every level.
    ///
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `amount` is negative or more than ``bytes``; the
    ///   reservation is then unchanged.
    public mutating func shrink(by amount: Int) throws(AllocError) {
        guard (0...bytes).contains(amount) else {
            throw AllocError(
                .invalidLayout, "budget \(budget.path): cannot shrink a reservation of \(bytes) bytes by \(amount)",
                allocatorKind: "budget", suggestion: "shrink by 0 up to the reserved bytes")
        }
        budget.refund(amount)
        bytes -= amount
    }

    /// Gives every held byte back now; `deinit` does the same for a reservation dropped unreleased.
    public consuming func release() {}

    deinit {
        budget.refund(bytes)
    }
}
