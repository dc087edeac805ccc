/// A directory of the memory an engine uses: allocators, budgets and object pools registered
/// under a name, read all at once as a ``MemorySnapshot`` for exporters and dashboards.
///
/// The registry holds its objects weakly: registering changes no lifetime, and an object that
/// is deallocated leaves the registry by itself.
///
/// ```swift
/// let registry = MemoryRegistry()
/// try registry.register(engineBudget, as: "engine")
/// try registry.register(nodePool, as: "http-nodes")
/// print(registry.snapshot().prometheusText())
/// ```
///
/// Only thread-safe objects can register (``MemoryReportable`` requires `Sendable`): an
/// exporter reads the registry from its own task while the engine runs.
public final class MemoryRegistry: Sendable {
    private let entries = _Locked<[String: Entry]>([:])

    /// The registry that the library's exporters and the command-line tool read by default.
    public static let shared = MemoryRegistry()

    /// An empty registry.
    public init() {}

    /// Registers `object` under `name`, or under `name-2`, `name-3`… when another live object
    /// holds that name: a registration never replaces another.
    ///
    /// - Parameters:
    ///   - object: the object to report on; held weakly.
    ///   - name: the name to export it under: any text but the empty string.
    /// - Returns: the name it was registered under.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for an empty name; nothing is registered then.
    /// - Complexity: O(registered objects) when the name is taken, O(1) otherwise.
    @discardableResult
    public func register(_ object: some MemoryReportable, as name: String) throws(AllocError) -> String {
        guard !name.isEmpty else {
            throw AllocError.badConfiguration("a registry name must not be empty", value: "name: \"\"")
        }
        return entries.withLock { entries in
            var unique = name
            var suffix = 1
            while let taken = entries[unique], taken.object != nil, taken.object !== object {
                suffix += 1
                unique = "\(name)-\(suffix)"
            }
            entries[unique] = Entry(object: object)
            return unique
        }
    }

    /// Removes the registration under `name`, if any.
    ///
    /// - Parameter name: a name ``register(_:as:)`` returned.
    /// - Returns: whether a live object was registered under it.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        entries.withLock { $0.removeValue(forKey: name)?.object != nil }
    }

    /// The names of the live registered objects, sorted.
    public var names: [String] {
        entries.withLock { entries in entries.filter { $0.value.object != nil }.keys.sorted() }
    }

    /// Reads every live registered object.
    ///
    /// Objects deallocated since they registered are dropped from the registry here. Each
    /// object is kept alive while it is read, so one that is released by another thread
    /// meanwhile is either in the snapshot, whole, or not in it.
    ///
    /// - Returns: one entry per live object, sorted by name.
    /// - Complexity: O(n log n) for n registered objects, plus what each report costs (a
    ///   budget with thread stocks sums them).
    public func snapshot() -> MemorySnapshot {
        var live: [(String, any MemoryReportable)] = entries.withLock { entries in
            var live: [(String, any MemoryReportable)] = []
            live.reserveCapacity(entries.count)
            for (name, entry) in entries {
                if let object = entry.object {
                    live.append((name, object))
                } else {
                    entries.removeValue(forKey: name)
                }
            }
            return live
        }
        // Sorted before reading, so that the sort moves names, not whole reports; read outside
        // the lock, since a report may take the object's own lock.
        live.sort { $0.0 < $1.0 }
        return MemorySnapshot(entries: live.map { MemorySnapshot.Entry(name: $0.0, report: $0.1.memoryReport) })
    }
}

extension MemoryRegistry {
    /// A weak reference to a registered object.
    private struct Entry: Sendable {
        weak var object: (any MemoryReportable)?
    }
}
