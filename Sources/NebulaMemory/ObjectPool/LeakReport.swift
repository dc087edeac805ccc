/// An object that was out of its pool longer than the leak-detection threshold.
public struct LeakReport: Sendable, Hashable {
    /// How long the object had been out when it was noticed.
    public let outFor: Duration
    /// Whether it was noticed when it came back (late), or while still out (`reportLeaks()`).
    public let returned: Bool
}
