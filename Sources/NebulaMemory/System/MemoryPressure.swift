/// How scarce memory is, from plenty to about to run out.
///
/// Levels are ordered (`.normal < .critical`); budgets with a `.pressureAware` policy shrink
/// their effective limit as the level rises.
public enum MemoryPressure: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible, Codable {
    /// Memory is plentiful.
    case normal
    /// Memory is getting scarce: caches should stop growing.
    case moderate
    /// Memory is scarce: shed optional work, shrink caches.
    case high
    /// The system is close to reclaiming or killing: refuse new work.
    case critical

    /// Orders by severity.
    ///
    /// - Parameters:
    ///   - lhs: a level.
    ///   - rhs: another level.
    /// - Returns: `true` when `lhs` is the less severe.
    public static func < (lhs: MemoryPressure, rhs: MemoryPressure) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `normal`, `moderate`, `high` or `critical`.
    public var description: String {
        switch self {
        case .normal: "normal"
        case .moderate: "moderate"
        case .high: "high"
        case .critical: "critical"
        }
    }
}
