import _NebulaMemoryShims

/// A sampled profile of the typed allocations of the whole process, by call site: which lines
/// allocate the most bytes, and which hold the most that are not given back yet.
///
/// ```swift
/// try AllocationProfiler.start(sampleInterval: 64 * 1024, seed: 1)
/// runWorkflow()
/// AllocationProfiler.stop()
/// print(AllocationProfiler.profile().text(top: 10))
/// ```
///
/// Off by default. When on, each thread counts the bytes of its typed allocations
/// (``Allocator/allocate(_:count:file:line:)``) down to its next sample, the gaps drawn from an
/// exponential distribution of mean `sampleInterval` bytes (a Poisson process over the
/// allocated bytes, as jemalloc and Go sample). A sampled allocation of `s` bytes stands for
/// `s / (1 − exp(−s/N))` bytes and `1 / (1 − exp(−s/N))` allocations, so the totals estimate the
/// true ones without bias. Only a sample takes a lock (and so does every allocation of a thread
/// beyond the library's per-thread slots). Typed deallocations of sampled allocations move
/// them out of the live figures; memory given back otherwise (an arena's reset, the raw
/// ``Allocator/deallocate(_:layout:)``, or any deallocation while the profiler is off) stays
/// counted as live. The raw ``Allocator/allocate(_:)`` is not profiled, nor is
/// ``Allocator/create(_:)``: it is a requirement each arena implements, and an overload of it
/// taking the call site would never be chosen over it.
///
/// Off, a typed allocation pays one relaxed load of a global flag and a branch.
public enum AllocationProfiler {
    /// The mean gap between samples unless `start` is given one: 512 KiB, as jemalloc.
    public static let defaultSampleInterval = 512 * 1024

    /// Whether allocations are being sampled.
    public static var isActive: Bool { nm_profiler_active() != 0 }

    /// The mean gap between samples, in bytes, of the latest `start`.
    public static var sampleInterval: Int { _ProfilerState.shared.interval.load(ordering: .relaxed) }

    /// Starts sampling (or goes on with a new interval and seed when on already); what was
    /// recorded before is kept until ``reset()``.
    ///
    /// - Parameters:
    ///   - sampleInterval: the mean number of bytes between samples; smaller is more precise
    ///     and costs more.
    ///   - seed: the seed of the gaps: a single-threaded run samples the same allocations for
    ///     the same seed.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` when `sampleInterval` is not positive; the
    ///   profiler is then unchanged.
    public static func start(sampleInterval: Int = defaultSampleInterval, seed: UInt64 = 0) throws(AllocError) {
        guard sampleInterval > 0 else {
            throw AllocError(
                .invalidConfiguration,
                "allocation profiler: sample interval \(sampleInterval) must be a positive number of bytes")
        }
        let state = _ProfilerState.shared
        state.table.withLock { _ in
            state.interval.store(sampleInterval, ordering: .relaxed)
            state.seed.store(seed, ordering: .relaxed)
            // Every thread redraws its countdown for the new interval and seed.
            state.generation.add(1, ordering: .releasing)
            nm_profiler_set_active(1)
        }
    }

    /// Stops sampling; the profile recorded so far stays readable.
    public static func stop() {
        nm_profiler_set_active(0)
    }

    /// Discards everything recorded, including the live sampled allocations; sampling goes on
    /// if it was on.
    public static func reset() {
        let state = _ProfilerState.shared
        state.table.withLock { table in state.clear(&table) }
    }

    /// What has been recorded so far.
    ///
    /// - Returns: the estimated totals of every sampled site, by total bytes.
    public static func profile() -> AllocationProfile {
        let state = _ProfilerState.shared
        return state.table.withLock { table in
            AllocationProfile(
                sampleInterval: state.interval.load(ordering: .relaxed),
                entries: table.sites.map { site, sampled in AllocationProfile.Entry(site, sampled) })
        }
    }
}
