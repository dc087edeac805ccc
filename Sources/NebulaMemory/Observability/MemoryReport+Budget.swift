extension MemoryReport {
    /// What a ``MemoryBudget`` reports.
    public struct Budget: Sendable, Hashable, Codable {
        /// The budget's path from the root, names joined by `/` (`engine/workflow-7`).
        public var path: String
        /// Bytes reserved here and below.
        public var usedBytes: Int
        /// The budget's own limit.
        public var limitBytes: Int
        /// The most bytes reserved at once.
        public var peakBytes: Int
        /// Reservations (and growths) granted.
        public var reservations: Int
        /// Reservations (and growths) denied, here or by an ancestor.
        public var denials: Int
        /// The pressure level the budget reports to its users.
        public var pressure: MemoryPressure

        /// A reading with the given values.
        ///
        /// - Parameters:
        ///   - path: the budget's path from the root.
        ///   - usedBytes: bytes reserved here and below.
        ///   - limitBytes: the budget's own limit.
        ///   - peakBytes: the most bytes reserved at once.
        ///   - reservations: reservations granted.
        ///   - denials: reservations denied.
        ///   - pressure: the pressure level.
        public init(
            path: String, usedBytes: Int, limitBytes: Int, peakBytes: Int, reservations: Int, denials: Int,
            pressure: MemoryPressure
        ) {
            self.path = path
            self.usedBytes = usedBytes
            self.limitBytes = limitBytes
            self.peakBytes = peakBytes
            self.reservations = reservations
            self.denials = denials
            self.pressure = pressure
        }
    }
}
