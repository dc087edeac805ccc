import Synchronization

/// What a hierarchy shares: its pressure level, and the drains retrying a denied charge in it
/// (while any is, no budget of the hierarchy publishes new stock slots). A class so that
/// children point at the root's.
final class _PressureCell: Sendable {
    let level = Atomic<Int>(MemoryPressure.normal.rawValue)
    let retryingDrains = Atomic<Int>(0)
}
