/// The one error type of NebulaMemory: what failed, with what request, in what allocator state,
/// and how to fix it.
///
/// Every fallible API throws `AllocError` with typed throws, so a `catch` sees the concrete type:
///
/// ```swift
/// do {
///     let p = try arena.allocate(Layout(size: 4096, alignment: 16))
/// } catch {
///     if error.code == .arenaExhausted { arena.reset() }
///     logger.error("\(error)")   // multi-line diagnostic, see `description`
/// }
/// ```
///
/// `description` reads like a compiler diagnostic:
///
/// ```text
/// error[ALLOC_ARENA_EXHAUSTED]: bump arena has insufficient space
///   requested: 4096 bytes, alignment 16
///   arena: capacity 65536, used 63488, available 2048
///   help: create the arena with a larger capacity or .chunked growth, or reset it per execution
/// ```
///
/// Implementation Notes: errors are built by out-of-line factory functions, so the inlined hot
/// paths of the allocators carry only a call on their failure branch. Everything but the code
/// lives in a shared, copy-on-write box: a typed-throws error is returned through memory, and
/// a 136-byte inline error made every allocator's fast path copy it and grow its stack frame.
public struct AllocError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable code; its raw value (`ALLOC_…`) never changes.
    public var code: Code

    private var details: Details

    /// The layout that was asked for, when the failure concerns a request.
    public var layout: Layout? {
        get { details.layout }
        set { mutateDetails { $0.layout = newValue } }
    }

    /// What kind of allocator (or budget, context, monitor) reported the state below.
    public var allocatorKind: AllocatorKind? {
        get { details.allocatorKind }
        set { mutateDetails { $0.allocatorKind = newValue } }
    }

    /// The allocator's capacity in bytes, where it knows it.
    public var capacity: Int? {
        get { details.capacity }
        set { mutateDetails { $0.capacity = newValue } }
    }

    /// The bytes the allocator had in use when the failure happened, where it knows them.
    public var used: Int? {
        get { details.used }
        set { mutateDetails { $0.used = newValue } }
    }

    /// The bytes the allocator could still hand out, where it knows them.
    public var available: Int? {
        get { details.available }
        set { mutateDetails { $0.available = newValue } }
    }

    /// How serious the failure is; defaults to the catalog's severity for `code`.
    public var severity: Severity {
        get { details.severity }
        set { mutateDetails { $0.severity = newValue } }
    }

    /// What to do about it; defaults to the catalog's fix for `code`.
    public var suggestion: String {
        get { details.suggestion }
        set { mutateDetails { $0.suggestion = newValue } }
    }

    /// Extra facts for the diagnostic (a pointer, a block index, a marker's offset).
    public var notes: [String] {
        get { details.notes }
        set { mutateDetails { $0.notes = newValue } }
    }

    /// One line saying what went wrong in this instance.
    public var message: String {
        get { details.message }
        set { mutateDetails { $0.message = newValue } }
    }

    /// Creates an error; severity and suggestion default to the catalog entry of `code`.
    public init(
        _ code: Code,
        _ message: String,
        layout: Layout? = nil,
        allocatorKind: AllocatorKind? = nil,
        capacity: Int? = nil,
        used: Int? = nil,
        available: Int? = nil,
        severity: Severity? = nil,
        suggestion: String? = nil,
        notes: [String] = []
    ) {
        self.code = code
        self.details = Details(
            message: message, layout: layout, allocatorKind: allocatorKind, capacity: capacity, used: used,
            available: available, severity: severity ?? code.entry.severity, suggestion: suggestion ?? code.entry.fix,
            notes: notes)
    }

    /// Equal when the code and every detail are equal.
    public static func == (lhs: AllocError, rhs: AllocError) -> Bool {
        lhs.code == rhs.code && (lhs.details === rhs.details || lhs.details.values == rhs.details.values)
    }

    private mutating func mutateDetails(_ change: (Details) -> Void) {
        if !isKnownUniquelyReferenced(&details) {
            details = details.copy()
        }
        change(details)
    }

    /// A multi-line diagnostic with the code, the request, the allocator state and a fix.
    public var description: String {
        var lines = ["\(severity.rawValue)[\(code.rawValue)]: \(message)"]
        if let layout {
            lines.append("  requested: \(layout.size) bytes, alignment \(layout.alignment)")
        }
        let state = [
            capacity.map { "capacity \($0)" },
            used.map { "used \($0)" },
            available.map { "available \($0)" },
        ].compactMap { $0 }
        if !state.isEmpty {
            lines.append("  \(allocatorKind?.rawValue ?? "allocator"): \(state.joined(separator: ", "))")
        }
        lines += notes.map { "  note: \($0)" }
        lines.append("  help: \(suggestion)")
        return lines.joined(separator: "\n")
    }
}

extension AllocError {
    /// How serious a failure is, for logging and alerting.
    public enum Severity: String, Sendable, CaseIterable, Comparable {
        /// The request was refused; the allocator is fine and the caller can go on (e.g. retry later).
        case warning
        /// The request failed; the caller must handle it.
        case error
        /// A bug in the caller (double free, foreign pointer) or memory exhaustion of the process.
        case critical

        /// Orders by seriousness: `warning < error < critical`.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .warning: 0
            case .error: 1
            case .critical: 2
            }
        }
    }
}

extension AllocError {
    /// The box behind an error's details. It is only mutated while uniquely referenced (copy on
    /// write in `mutateDetails`), so sharing it between threads never races: that is why the
    /// unchecked conformance is safe.
    private final class Details: @unchecked Sendable {
        var message: String
        var layout: Layout?
        var allocatorKind: AllocatorKind?
        var capacity: Int?
        var used: Int?
        var available: Int?
        var severity: Severity
        var suggestion: String
        var notes: [String]

        init(
            message: String, layout: Layout?, allocatorKind: AllocatorKind?, capacity: Int?, used: Int?,
            available: Int?,
            severity: Severity, suggestion: String, notes: [String]
        ) {
            self.message = message
            self.layout = layout
            self.allocatorKind = allocatorKind
            self.capacity = capacity
            self.used = used
            self.available = available
            self.severity = severity
            self.suggestion = suggestion
            self.notes = notes
        }

        func copy() -> Details {
            Details(
                message: message, layout: layout, allocatorKind: allocatorKind, capacity: capacity, used: used,
                available: available, severity: severity, suggestion: suggestion, notes: notes)
        }

        /// Everything but identity, for equality.
        var values: Values {
            Values(
                message: message, layout: layout, allocatorKind: allocatorKind, capacity: capacity, used: used,
                available: available, severity: severity, suggestion: suggestion, notes: notes)
        }
    }

    private struct Values: Equatable {
        let message: String
        let layout: Layout?
        let allocatorKind: AllocatorKind?
        let capacity: Int?
        let used: Int?
        let available: Int?
        let severity: Severity
        let suggestion: String
        let notes: [String]
    }
}
