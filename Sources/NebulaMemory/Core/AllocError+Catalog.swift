extension AllocError {
    /// One entry of the error catalog: what a code means and how to fix it.
    ///
    /// ```swift
    /// let entry = AllocError.Code.poolExhausted.entry
    /// print(entry.title, entry.fix)
    /// ```
    public struct CatalogEntry: Sendable, Equatable {
        /// The code this entry explains.
        public let code: Code
        /// A short title, e.g. "Pool exhausted".
        public let title: String
        /// What the failure means, in a few sentences.
        public let explanation: String
        /// The usual reasons a program runs into it.
        public let commonCauses: [String]
        /// The default suggestion attached to errors of this code.
        public let fix: String
        /// The default severity of errors of this code.
        public let severity: Severity
    }
}

extension AllocError.Code {
    /// The catalog entry of this code.
    public var entry: AllocError.CatalogEntry {
        switch self {
        case .outOfMemory:
            entry(
                "Out of memory",
                "The system allocator returned no memory: the process hit its address-space, "
                    + "cgroup or overcommit limit, or the request was absurdly large.",
                [
                    "a size computed from untrusted input", "a leak that grew until the limit",
                    "a container memory limit lower than the workload needs",
                ],
                "check the requested size; lower the workload's memory or raise the process/cgroup limit",
                .critical)
        case .sizeOverflow:
            entry(
                "Size overflow",
                "A size computed from a count and a stride, or a size rounded up to its alignment, "
                    + "does not fit in an Int. The request cannot be represented, let alone served.",
                ["a count taken from untrusted input", "a negative value converted to a huge unsigned one"],
                "validate counts before computing layouts; use Layout.array(of:count:), which checks")
        case .invalidAlignment:
            entry(
                "Invalid alignment",
                "Alignments must be powers of two from 1 to 4096 (one page); an allocator may "
                    + "further refuse alignments larger than its blocks provide.",
                ["an alignment of 0 or a non-power of two such as 3 or 24", "page-or-larger alignment requests"],
                "use MemoryLayout<T>.alignment or a power of two from 1 to 4096")
        case .exceedsMaxSize:
            entry(
                "Exceeds maximum size",
                "The request is larger than this allocator can ever serve, whatever its state.",
                ["a buffer sized from input without a cap", "an arena configured smaller than one item"],
                "cap the request, or allocate large buffers from a larger arena or the system allocator")
        case .invalidLayout:
            entry(
                "Invalid layout",
                "The request is malformed (negative size or count) or does not fit the allocator "
                    + "(larger than a pool's block, or more aligned than its blocks).",
                ["a negative size from an arithmetic bug", "a pool chosen for the wrong object size"],
                "pass a non-negative size, or use a pool whose blockSize and blockAlignment fit the layout")
        case .invalidConfiguration:
            entry(
                "Invalid configuration",
                "A configuration value is out of its range, so the allocator was not created.",
                ["a zero or negative capacity, block size or block count", "a chunk size larger than the maximum"],
                "pass positive sizes and counts; see the configuration's documentation for each range")
        case .invalidState:
            entry(
                "Invalid state",
                "The operation does not fit the allocator's current state: a checkpoint or marker "
                    + "from another allocator, or one invalidated by an earlier reset or restore; or, in "
                    + "hardened mode, heap corruption: a damaged canary after an allocation.",
                [
                    "restoring a checkpoint after resetting the arena",
                    "keeping a checkpoint past the scope it belonged to", "mixing checkpoints of two arenas",
                    "a write past the end of an allocation (hardened mode)",
                ],
                "take checkpoints and restore them in nested (last-in, first-out) order; prefer withScope")
        case .concurrentAccess:
            entry(
                "Concurrent access",
                "Two threads used the allocator in a way it does not allow, e.g. one reset it while "
                    + "another allocated.",
                ["sharing an arena between tasks and resetting it while they run"],
                "reset only when no other thread uses the allocator; give each task its own arena",
                .critical)
        case .resourceLimit:
            entry(
                "Resource limit",
                "A process or system resource limit was reached (address space, mappings, descriptors).",
                ["too many arenas or pools alive at once", "a low ulimit in the container"],
                "release unused allocators, or raise the limit")
        case .poolExhausted:
            entry(
                "Pool exhausted",
                "Every block (or object) of the pool is in use and the pool may not grow.",
                ["blocks not returned (a leak)", "a burst larger than the pool was sized for"],
                "return blocks promptly, size the pool for the peak, or configure slab growth")
        case .arenaExhausted:
            entry(
                "Arena exhausted",
                "The bump arena has no room left for the request and may not grow further.",
                ["an arena sized for a smaller workload", "an arena that is never reset between executions"],
                "create the arena with a larger capacity or .chunked growth, or reset it per execution")
        case .denied:
            entry(
                "Denied",
                "A policy in front of the allocator refused the request.",
                ["a policy limiting sizes or callers"],
                "check the policy's configuration or request less",
                .warning)
        case .invalidPointer:
            entry(
                "Invalid pointer",
                "The pointer was not handed out by this allocator, or does not point at the start of "
                    + "a block. Freeing it would corrupt the allocator, so nothing was changed.",
                ["freeing into the wrong pool", "freeing an interior pointer", "freeing a pointer twice across pools"],
                "free each pointer to the allocator that returned it, at the address it returned",
                .critical)
        case .doubleFree:
            entry(
                "Double free",
                "The block was already free. A second free would hand it out twice, so nothing was changed.",
                ["two owners of one block", "a free in both a defer and an error path"],
                "give each block one owner; set pointers to nil after freeing them",
                .critical)
        case .lifoViolation:
            entry(
                "LIFO violation",
                "A stack allocator frees in last-in, first-out order only; this pointer or marker "
                    + "is not the top of the stack.",
                ["freeing an older allocation first", "releasing to a marker above the current top"],
                "free the newest allocation first, or use withFrame to release a whole frame at once",
                .critical)
        case .budgetExceeded:
            entry(
                "Budget exceeded",
                "The request would take a memory budget (or one of its ancestors) over its limit.",
                ["a workflow using more memory than its budget allows", "a limit set too low"],
                "raise the budget's limit, release reservations sooner, or split the work",
                .warning)
        }
    }

    private func entry(
        _ title: String,
        _ explanation: String,
        _ causes: [String],
        _ fix: String,
        _ severity: AllocError.Severity = .error
    ) -> AllocError.CatalogEntry {
        AllocError.CatalogEntry(
            code: self, title: title, explanation: explanation, commonCauses: causes, fix: fix, severity: severity)
    }
}
