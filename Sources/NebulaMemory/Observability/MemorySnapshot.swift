/// Every registered object's readings at one moment, as ``MemoryRegistry/snapshot()`` took
/// them: a `Codable` value to store, compare or export.
///
/// ```swift
/// let snapshot = MemoryRegistry.shared.snapshot()
/// for entry in snapshot.entries where entry.report.kind == .budget {
///     print(entry.name, entry.report.budget!.usedBytes)
/// }
/// ```
public struct MemorySnapshot: Sendable, Hashable, Codable {
    /// One registered object: the name it was registered under and its report.
    public struct Entry: Sendable, Hashable, Codable {
        /// The name the object was registered under.
        public var name: String
        /// The registration's serial number in its registry: a later object registered under
        /// the same name has another, so a reader can tell it from the earlier one (whose
        /// counters it must not continue).
        public var registration: Int
        /// The object's readings.
        public var report: MemoryReport

        /// An entry with the given name, registration and report.
        ///
        /// - Parameters:
        ///   - name: the name the object was registered under.
        ///   - registration: the registration's serial number.
        ///   - report: the object's readings.
        public init(name: String, registration: Int, report: MemoryReport) {
            self.name = name
            self.registration = registration
            self.report = report
        }
    }

    /// The entries, sorted by name.
    public var entries: [Entry]

    /// A snapshot of the given entries.
    ///
    /// - Parameter entries: the entries, in the order to export them.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The entry registered under `name`, if any.
    ///
    /// - Parameter name: a registered name.
    /// - Returns: the entry, or `nil`.
    /// - Complexity: O(entries).
    public subscript(name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
