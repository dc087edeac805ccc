extension AllocError {
    /// The stable code of a failure. The raw value is what logs, metrics and
    /// `nebula-memory explain` use; it never changes once released.
    ///
    /// `Code.allCases` is the error catalog; every code has an ``entry`` with a title, an
    /// explanation, common causes and a fix.
    public enum Code: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
        /// The system (or the process's limit) refused to provide memory.
        case outOfMemory = "ALLOC_OUT_OF_MEMORY"
        /// A size computation (count × stride, size + padding) does not fit in an `Int`.
        case sizeOverflow = "ALLOC_SIZE_OVERFLOW"
        /// An alignment that is not a power of two in `1...4096`, or one an allocator cannot serve.
        case invalidAlignment = "ALLOC_INVALID_ALIGNMENT"
        /// A request larger than the allocator can ever serve.
        case exceedsMaxSize = "ALLOC_EXCEEDS_MAX_SIZE"
        /// A malformed request: negative size or count, or a layout that does not fit the allocator.
        case invalidLayout = "ALLOC_INVALID_LAYOUT"
        /// A configuration value out of its range.
        case invalidConfiguration = "ALLOC_INVALID_CONFIGURATION"
        /// An operation that does not fit the allocator's current state (a stale checkpoint).
        case invalidState = "ALLOC_INVALID_STATE"
        /// Two threads used an allocator in a way it does not allow.
        case concurrentAccess = "ALLOC_CONCURRENT_ACCESS"
        /// A process or system resource limit was reached.
        case resourceLimit = "ALLOC_RESOURCE_LIMIT"
        /// Every block of a pool is in use.
        case poolExhausted = "ALLOC_POOL_EXHAUSTED"
        /// A bump arena has no room left for the request.
        case arenaExhausted = "ALLOC_ARENA_EXHAUSTED"
        /// A policy refused the request.
        case denied = "ALLOC_DENIED"
        /// A pointer that this allocator did not hand out, or not at the start of a block.
        case invalidPointer = "ALLOC_INVALID_POINTER"
        /// A block freed a second time.
        case doubleFree = "ALLOC_DOUBLE_FREE"
        /// A stack allocation freed out of last-in, first-out order.
        case lifoViolation = "ALLOC_LIFO_VIOLATION"
        /// A memory budget's limit would be exceeded.
        case budgetExceeded = "ALLOC_BUDGET_EXCEEDED"

        /// The raw code, e.g. `ALLOC_OUT_OF_MEMORY`.
        public var description: String { rawValue }

        /// Looks a code up by its raw value, ignoring case and an optional `ALLOC_` prefix,
        /// so that `out_of_memory` and `alloc_out_of_memory` both name ``outOfMemory``.
        ///
        /// - Parameter text: a code's name, with or without the `ALLOC_` prefix; `-` counts as `_`.
        public init?(lenient text: String) {
            self.init(rawValue: "ALLOC_" + Self.normalizedName(text))
        }

        /// The codes whose names are nearest to `text` (edit distance, ignoring case and the
        /// `ALLOC_` prefix), best first: suggestions for a mistyped code.
        ///
        /// ```swift
        /// AllocError.Code.closest(to: "DOUBLE_FRE")   // [.doubleFree, …]
        /// ```
        ///
        /// - Parameters:
        ///   - text: the mistyped name.
        ///   - limit: how many codes to return at most (none for a limit below 1).
        /// - Returns: up to `limit` codes, nearest first.
        /// - Complexity: O(*n*) for a `text` of *n* characters: one edit distance to each code.
        public static func closest(to text: String, limit: Int = 3) -> [Code] {
            let key = Array(normalizedName(text))
            let ranked = allCases.map { ($0, editDistance(key, Array(normalizedName($0.rawValue)))) }
            return ranked.sorted { $0.1 < $1.1 }.prefix(Swift.max(0, limit)).map(\.0)
        }

        private static func normalizedName(_ text: String) -> String {
            var upper = String(text.uppercased().map { $0 == "-" ? "_" : $0 })
            if upper.hasPrefix("ALLOC_") { upper.removeFirst(6) }
            return upper
        }

        private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
    }
}
