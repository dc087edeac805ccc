extension MemoryBudget {
    /// What a budget does with a reservation that would pass its limit.
    public enum Policy: Sendable {
        /// Deny it with `ALLOC_BUDGET_EXCEEDED`.
        case strict
        /// Allow up to `overcommit` bytes over the limit, and report each reservation that goes
        /// over through `onOvercommit`; deny beyond.
        ///
        /// `onOvercommit` runs on the thread that charged, inside the charging call: for an
        /// arena's chunk, while that arena holds its lock. It must not use that arena (a
        /// ``ConcurrentBumpAllocator`` would stop the program on its own lock); log, count, or
        /// hand the report to another task instead.
        case soft(overcommit: Int, onOvercommit: (@Sendable (OvercommitReport) -> Void)? = nil)
        /// Shrink the effective limit as system memory pressure rises: the limit times the
        /// fraction for the current level (see ``PressureFractions``); deny over it.
        case pressureAware(PressureFractions = .init())

        /// `strict`, `soft` or `pressureAware`, for messages.
        var label: String {
            switch self {
            case .strict: "strict"
            case .soft: "soft"
            case .pressureAware: "pressureAware"
            }
        }
    }

    /// The share of its limit a `.pressureAware` budget grants at each pressure level.
    public struct PressureFractions: Sendable, Hashable {
        /// At `.moderate` pressure.
        public var moderate: Double
        /// At `.high` pressure.
        public var high: Double
        /// At `.critical` pressure.
        public var critical: Double

        /// Fractions of the limit; the defaults are 75 %, 50 % and 25 %.
        ///
        /// Each must lie in `0...1`: a budget created with others throws
        /// `ALLOC_INVALID_CONFIGURATION`.
        ///
        /// - Parameters:
        ///   - moderate: the share granted at `.moderate` pressure.
        ///   - high: the share granted at `.high` pressure.
        ///   - critical: the share granted at `.critical` pressure.
        public init(moderate: Double = 0.75, high: Double = 0.5, critical: Double = 0.25) {
            self.moderate = moderate
            self.high = high
            self.critical = critical
        }

        func fraction(at level: MemoryPressure) -> Double {
            switch level {
            case .normal: 1
            case .moderate: moderate
            case .high: high
            case .critical: critical
            }
        }
    }

    /// A reservation that took a `.soft` budget over its limit.
    public struct OvercommitReport: Sendable, Hashable {
        /// The budget's path, e.g. `engine/workflow-42`.
        public let path: String
        /// Its limit.
        public let limit: Int
        /// Its use after the reservation.
        public let used: Int
        /// The reservation's size.
        public let requested: Int

        /// A report of `requested` bytes taking the budget at `path` to `used` of `limit`.
        ///
        /// - Parameters:
        ///   - path: the budget's path.
        ///   - limit: its limit.
        ///   - used: its use after the reservation.
        ///   - requested: the reservation's size.
        public init(path: String, limit: Int, used: Int, requested: Int) {
            self.path = path
            self.limit = limit
            self.used = used
            self.requested = requested
        }
    }

    /// Counters of a budget, read as a snapshot.
    public struct Statistics: Sendable, Hashable {
        /// Reservations (and growths) granted.
        public var reservations: Int
        /// Reservations (and growths) denied, here or by an ancestor.
        public var denials: Int
        /// The most bytes reserved at once.
        public var peak: Int

        /// Counters with the given values.
        ///
        /// - Parameters:
        ///   - reservations: reservations (and growths) granted.
        ///   - denials: reservations (and growths) denied.
        ///   - peak: the most bytes reserved at once.
        public init(reservations: Int = 0, denials: Int = 0, peak: Int = 0) {
            self.reservations = reservations
            self.denials = denials
            self.peak = peak
        }
    }
}
