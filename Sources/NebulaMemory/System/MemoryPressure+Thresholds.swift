extension MemoryPressure {
    /// When each pressure level starts, from the share of memory still available under the
    /// effective limit and from the kernel's pressure stall information (PSI `some avg10`).
    ///
    /// A level is reached when either signal reaches it. A level is only left once both signals
    /// are clear of its threshold by the hysteresis margins, so a reading that wavers around a
    /// threshold does not make the level flap.
    public struct Thresholds: Sendable, Hashable {
        /// Available share (0…1) at or below which the level is `.moderate`, `.high`, `.critical`.
        public var moderateAvailable: Double
        /// See ``moderateAvailable``.
        public var highAvailable: Double
        /// See ``moderateAvailable``.
        public var criticalAvailable: Double
        /// PSI `some avg10` (percent of time stalled) at or above which the level is `.moderate`,
        /// `.high`, `.critical`.
        public var moderateStall: Double
        /// See ``moderateStall``.
        public var highStall: Double
        /// See ``moderateStall``.
        public var criticalStall: Double
        /// How far above its available threshold the share must rise to leave a level.
        public var availableHysteresis: Double
        /// How far below its stall threshold PSI must fall to leave a level.
        public var stallHysteresis: Double

        /// Thresholds; the defaults follow systemd-oomd's spirit: 20 %, 10 %, 5 % available, or
        /// 10 %, 25 %, 50 % stalled, with margins of 2 % available and 5 % stalled.
        ///
        /// Nothing is checked here: ``validate()`` does, and ``MemoryMonitor`` calls it.
        ///
        /// - Parameters:
        ///   - moderateAvailable: the available share (0…1) at or below which the level is `.moderate`.
        ///   - highAvailable: the same for `.high`.
        ///   - criticalAvailable: the same for `.critical`.
        ///   - moderateStall: the PSI `some avg10` percentage at or above which the level is `.moderate`.
        ///   - highStall: the same for `.high`.
        ///   - criticalStall: the same for `.critical`.
        ///   - availableHysteresis: how far above its threshold the share must rise to leave a level.
        ///   - stallHysteresis: how far below its threshold PSI must fall to leave a level.
        public init(
            moderateAvailable: Double = 0.20, highAvailable: Double = 0.10, criticalAvailable: Double = 0.05,
            moderateStall: Double = 10, highStall: Double = 25, criticalStall: Double = 50,
            availableHysteresis: Double = 0.02, stallHysteresis: Double = 5
        ) {
            self.moderateAvailable = moderateAvailable
            self.highAvailable = highAvailable
            self.criticalAvailable = criticalAvailable
            self.moderateStall = moderateStall
            self.highStall = highStall
            self.criticalStall = criticalStall
            self.availableHysteresis = availableHysteresis
            self.stallHysteresis = stallHysteresis
        }

        /// The level of `memory` on its own, without hysteresis.
        ///
        /// - Parameter memory: the sample; a signal it lacks (the available share or PSI) raises no level.
        /// - Returns: the highest level either signal reaches.
        public func level(of memory: SystemMemory) -> MemoryPressure {
            level(availableShare: Self.availableShare(of: memory), stall: memory.pressure?.someAvg10)
        }

        /// The level of `memory` for a monitor now at `current`: rises at once, falls only as far
        /// as the readings clear the thresholds by the hysteresis margins.
        ///
        /// - Parameters:
        ///   - memory: the sample; a signal it lacks (the available share or PSI) raises no level.
        ///   - current: the monitor's level before this sample.
        /// - Returns: the new level.
        public func level(of memory: SystemMemory, from current: MemoryPressure) -> MemoryPressure {
            let share = Self.availableShare(of: memory)
            let stall = memory.pressure?.someAvg10
            let raw = level(availableShare: share, stall: stall)
            if raw >= current { return raw }
            let cautious = level(
                availableShare: share.map { $0 - availableHysteresis }, stall: stall.map { $0 + stallHysteresis })
            return Swift.max(raw, Swift.min(current, cautious))
        }

        /// Checks that every value is a number in range and the levels are in order.
        ///
        /// - Throws: `ALLOC_INVALID_CONFIGURATION` naming the first value out of place.
        public func validate() throws(AllocError) {
            let shares = [moderateAvailable, highAvailable, criticalAvailable]
            let stalls = [moderateStall, highStall, criticalStall]
            var problem: String?
            if !shares.allSatisfy({ (0...1).contains($0) }) || shares != shares.sorted(by: >) {
                problem = "available shares must lie in 0...1, moderate ≥ high ≥ critical: \(shares)"
            } else if !stalls.allSatisfy({ (0...100).contains($0) }) || stalls != stalls.sorted() {
                problem = "stall percentages must lie in 0...100, moderate ≤ high ≤ critical: \(stalls)"
            } else if !(availableHysteresis >= 0 && stallHysteresis >= 0) {
                problem = "hysteresis margins must be 0 or more"
            }
            if let problem {
                throw AllocError(.invalidConfiguration, "pressure thresholds: \(problem)", allocatorKind: .monitor)
            }
        }

        private func level(availableShare share: Double?, stall: Double?) -> MemoryPressure {
            var level = MemoryPressure.normal
            if let share {
                if share <= criticalAvailable {
                    level = .critical
                } else if share <= highAvailable {
                    level = .high
                } else if share <= moderateAvailable {
                    level = .moderate
                }
            }
            if let stall {
                let stallLevel: MemoryPressure =
                    stall >= criticalStall
                    ? .critical : stall >= highStall ? .high : stall >= moderateStall ? .moderate : .normal
                level = Swift.max(level, stallLevel)
            }
            return level
        }

        private static func availableShare(of memory: SystemMemory) -> Double? {
            guard let limit = memory.effectiveLimit, limit > 0, let available = memory.effectiveAvailable else {
                return nil
            }
            return Double(available) / Double(limit)
        }
    }
}
