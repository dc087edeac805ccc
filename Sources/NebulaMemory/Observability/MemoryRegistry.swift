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
/// exporter reads the registry from its own task while the engine runs. A memory context's
/// budget or arena that is registered is not reused by a later context once it closes.
public final class MemoryRegistry: Sendable {
    private let state = _Locked(State())

    /// A registry for the whole process, for code that has no registry of its own to pass
    /// around (the `NebulaMemoryMetrics` services read it by default).
    public static let shared = MemoryRegistry()

    /// An empty registry.
    public init() {}

    /// Registers `object` under `name`, or under `name-2`, `name-3`… when another live object
    /// holds that name: a registration never replaces another. An object already registered
    /// keeps its name, so that it is never counted twice.
    ///
    /// - Parameters:
    ///   - object: the object to report on; held weakly.
    ///   - name: the name to export it under: any text but the empty string.
    /// - Returns: the name it is registered under.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for an empty name; nothing is registered then.
    /// - Complexity: O(registered objects).
    @discardableResult
    public func register(_ object: some MemoryReportable, as name: String) throws(AllocError) -> String {
        guard !name.isEmpty else {
            throw AllocError.badConfiguration("a registry name must not be empty", value: "name: \"\"")
        }
        (object as? any _RegistryMember)?._markRegistered()
        // Strong references taken under the lock are released after it: a deinit they end
        // must not run inside it.
        let (registered, held) = state.withLock { state in
            var held: [any MemoryReportable] = []
            held.reserveCapacity(state.entries.count)
            for (key, entry) in state.entries {
                guard let live = entry.object else {
                    state.entries.removeValue(forKey: key)
                    continue
                }
                held.append(live)
                if live === object { return (key, held) }
            }
            var unique = name
            var suffix = 1
            while state.entries[unique] != nil {
                suffix += 1
                unique = "\(name)-\(suffix)"
            }
            state.serial &+= 1
            state.entries[unique] = Entry(object: object, registration: state.serial)
            return (unique, held)
        }
        withExtendedLifetime(held) {}
        return registered
    }

    /// Removes the registration under `name`, if any.
    ///
    /// - Parameter name: a name ``register(_:as:)`` returned.
    /// - Returns: whether a live object was registered under it.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        let removed = state.withLock { $0.entries.removeValue(forKey: name) }
        return removed?.object != nil
    }

    /// Removes `object`'s registration, whatever its name.
    ///
    /// - Parameter object: a registered object.
    /// - Returns: whether it was registered.
    /// - Complexity: O(registered objects).
    @discardableResult
    public func unregister(_ object: some MemoryReportable) -> Bool {
        let (found, held) = state.withLock { state in
            var held: [any MemoryReportable] = []
            for (key, entry) in state.entries {
                guard let live = entry.object else { continue }
                held.append(live)
                if live === object {
                    state.entries.removeValue(forKey: key)
                    return (true, held)
                }
            }
            return (false, held)
        }
        withExtendedLifetime(held) {}
        return found
    }

    /// The names of the live registered objects, sorted.
    public var names: [String] {
        snapshotTargets().map(\.name)
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
        // Read outside the lock: a report may take the object's own lock.
        MemorySnapshot(
            entries: snapshotTargets().map {
                MemorySnapshot.Entry(name: $0.name, registration: $0.registration, report: $0.object.memoryReport)
            })
    }

    /// The live objects with their names and registrations, sorted by name; dead entries are
    /// dropped.
    private func snapshotTargets() -> [(name: String, registration: Int, object: any MemoryReportable)] {
        var live = state.withLock { state in
            var live: [(name: String, registration: Int, object: any MemoryReportable)] = []
            live.reserveCapacity(state.entries.count)
            for (name, entry) in state.entries {
                if let object = entry.object {
                    live.append((name, entry.registration, object))
                } else {
                    state.entries.removeValue(forKey: name)
                }
            }
            return live
        }
        // Sorted before reading, so that the sort moves names, not whole reports.
        live.sort { $0.name < $1.name }
        return live
    }
}

extension MemoryRegistry {
    /// A weak reference to a registered object, and the serial number of its registration.
    private struct Entry: Sendable {
        weak var object: (any MemoryReportable)?
        let registration: Int
    }

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var serial = 0
    }
}
