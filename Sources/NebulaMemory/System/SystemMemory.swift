/// A snapshot of the machine's memory and of the process's cgroup memory limit, read from
/// `/proc` and `/sys/fs/cgroup`: what an arena or pool can size itself against.
///
/// ```swift
/// let memory = SystemMemory.read()
/// if let budget = memory.effectiveAvailable {
///     let arena = try BumpAllocator(capacity: budget / 8)
/// }
/// for note in memory.notes { logger.debug("\(note)") }
/// ```
///
/// Reading never throws and never traps: a file that is missing, unreadable or malformed
/// leaves its fields `nil` and adds a human-readable line to ``notes``. Inside a container the
/// cgroup limit is usually far below `total`, which is why ``effectiveLimit`` and
/// ``effectiveAvailable`` exist.
///
/// All sizes are in bytes.
public struct SystemMemory: Sendable, Hashable {
    /// Memory pressure stall information (PSI) from `/proc/pressure/memory`.
    ///
    /// Each value is the share of wall time, in percent (0–100), averaged over the last 10 or
    /// 60 seconds, in which tasks were stalled waiting for memory.
    public struct Pressure: Sendable, Hashable {
        /// Percent of time in which at least one task was stalled on memory, over 10 seconds.
        public var someAvg10: Double
        /// Percent of time in which at least one task was stalled on memory, over 60 seconds.
        public var someAvg60: Double
        /// Percent of time in which all non-idle tasks were stalled on memory, over 10 seconds.
        public var fullAvg10: Double
        /// Percent of time in which all non-idle tasks were stalled on memory, over 60 seconds.
        public var fullAvg60: Double

        /// Creates a pressure reading.
        ///
        /// - Parameters:
        ///   - someAvg10: percent of time some task stalled on memory, over 10 seconds.
        ///   - someAvg60: the same over 60 seconds.
        ///   - fullAvg10: percent of time all non-idle tasks stalled on memory, over 10 seconds.
        ///   - fullAvg60: the same over 60 seconds.
        public init(someAvg10: Double, someAvg60: Double, fullAvg10: Double, fullAvg60: Double) {
            self.someAvg10 = someAvg10
            self.someAvg60 = someAvg60
            self.fullAvg10 = fullAvg10
            self.fullAvg60 = fullAvg60
        }
    }

    /// The cgroup hierarchy the limit and usage were read from.
    public enum CgroupVersion: Sendable, Hashable {
        /// The legacy hierarchy: `memory.limit_in_bytes` and `memory.usage_in_bytes`.
        case v1
        /// The unified hierarchy: `memory.max`, `memory.high` and `memory.current`.
        case v2
    }

    /// Physical memory (`MemTotal` of `/proc/meminfo`).
    public var total: Int?
    /// Memory that can be handed out without swapping (`MemAvailable` of `/proc/meminfo`),
    /// page cache that can be dropped included.
    public var available: Int?
    /// The cgroup hierarchy the limit and usage come from; `nil` when none was found.
    public var cgroupVersion: CgroupVersion?
    /// The hard limit of the process's cgroup (`memory.max` or `memory.limit_in_bytes`);
    /// `nil` when there is no limit or it is unknown (then ``notes`` says why).
    public var cgroupLimit: Int?
    /// The throttling threshold of the process's cgroup (`memory.high`, cgroup v2 only);
    /// `nil` when there is none or it is unknown.
    public var cgroupHigh: Int?
    /// The memory the process's cgroup uses (`memory.current` or `memory.usage_in_bytes`).
    public var cgroupUsage: Int?
    /// Memory pressure; `nil` when `/proc/pressure/memory` is absent or malformed.
    public var pressure: Pressure?
    /// Why fields are `nil`: one human-readable line per missing, unreadable or malformed file.
    public var notes: [String]

    /// Memory in use on the machine: `total − available`.
    ///
    /// Computed rather than stored, so it can never disagree with `total` and `available`;
    /// `nil` when either is unknown or `available` exceeds `total`.
    public var used: Int? {
        guard let total, let available, available <= total else { return nil }
        return total - available
    }

    /// The limit that binds: the smaller of `total` and `cgroupLimit`.
    ///
    /// `cgroupHigh` is not counted: crossing it throttles the cgroup but does not fail allocations.
    public var effectiveLimit: Int? {
        switch (total, cgroupLimit) {
        case (let total?, let limit?): Swift.min(total, limit)
        case (let total?, nil): total
        case (nil, let limit?): limit
        case (nil, nil): nil
        }
    }

    /// Bytes still available under the effective limit: for a cgroup limit, limit − usage, else `available`.
    ///
    /// With a cgroup limit the result is also capped by `available`, because a cgroup allowed
    /// more than the machine has free still cannot get it; it is `nil` when the cgroup's usage is
    /// unknown, and never negative (usage can briefly exceed the limit while the kernel reclaims).
    public var effectiveAvailable: Int? {
        guard let cgroupLimit else { return available }
        guard let cgroupUsage else { return nil }
        let headroom = Swift.max(0, cgroupLimit - cgroupUsage)
        guard let available else { return headroom }
        return Swift.min(headroom, available)
    }

    /// Reads a snapshot from the files under `root`.
    ///
    /// Reads `<root>/proc/meminfo`, `<root>/proc/pressure/memory` and `<root>/proc/self/cgroup`,
    /// then the memory files of the process's cgroup under `<root>/sys/fs/cgroup`. A `root` other
    /// than `/` is for tests and for reading a host's files mounted into a container.
    ///
    /// ```swift
    /// let memory = SystemMemory.read()
    /// print(memory.effectiveLimit ?? -1, memory.pressure?.someAvg10 ?? 0)
    /// ```
    ///
    /// - Parameter root: the directory that stands for `/`; trailing slashes are ignored.
    /// - Returns: the snapshot; fields that could not be read are `nil`, and ``notes`` says why.
    public static func read(root: String = "/") -> SystemMemory {
        _SystemMemoryReader(root: root).read()
    }

    /// Creates a snapshot from known values: for tests and for sources other than `/proc`.
    ///
    /// - Parameters:
    ///   - total: physical memory, if known.
    ///   - available: memory that can be handed out without swapping, if known.
    ///   - cgroupVersion: the cgroup hierarchy the limit and usage come from, if any.
    ///   - cgroupLimit: the cgroup's hard limit; `nil` for none or unknown.
    ///   - cgroupHigh: the cgroup's throttling threshold; `nil` for none or unknown.
    ///   - cgroupUsage: the memory the cgroup uses, if known.
    ///   - pressure: the PSI reading, if any.
    ///   - notes: why fields are `nil`, one line each.
    public init(
        total: Int? = nil,
        available: Int? = nil,
        cgroupVersion: CgroupVersion? = nil,
        cgroupLimit: Int? = nil,
        cgroupHigh: Int? = nil,
        cgroupUsage: Int? = nil,
        pressure: Pressure? = nil,
        notes: [String] = []
    ) {
        self.total = total
        self.available = available
        self.cgroupVersion = cgroupVersion
        self.cgroupLimit = cgroupLimit
        self.cgroupHigh = cgroupHigh
        self.cgroupUsage = cgroupUsage
        self.pressure = pressure
        self.notes = notes
    }
}
