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
/// an error holding its nine details inline would make every allocator's fast path copy it and
/// grow its stack frame.
public struct AllocError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable code; its raw value (`ALLOC_…`) never changes.
    public var code: Code

    private var box: Box

    /// The layout that was asked for, when the failure concerns a request.
    public var layout: Layout? {
        get { self[\.layout] }
        set { self[\.layout] = newValue }
    }

    /// What kind of allocator (or budget, context, monitor) reported the state below.
    public var allocatorKind: AllocatorKind? {
        get { self[\.allocatorKind] }
        set { self[\.allocatorKind] = newValue }
    }

    /// The allocator's capacity in bytes, where it knows it.
    public var capacity: Int? {
        get { self[\.capacity] }
        set { self[\.capacity] = newValue }
    }

    /// The bytes the allocator had in use when the failure happened, where it knows them.
    public var used: Int? {
        get { self[\.used] }
        set { self[\.used] = newValue }
    }

    /// The bytes the allocator could still hand out, where it knows them.
    public var available: Int? {
        get { self[\.available] }
        set { self[\.available] = newValue }
    }

    /// How serious the failure is; defaults to the catalog's severity for `code`.
    public var severity: Severity {
        get { self[\.severity] }
        set { self[\.severity] = newValue }
    }

    /// What to do about it; defaults to the catalog's fix for `code`.
    public var suggestion: String {
        get { self[\.suggestion] }
        set { self[\.suggestion] = newValue }
    }

    /// Extra facts for the diagnostic (a pointer, a block index, a marker's offset).
    public var notes: [String] {
        get { self[\.notes] }
        set { self[\.notes] = newValue }
    }

    /// One line saying what went wrong in this instance.
    public var message: String {
        get { self[\.message] }
        set { self[\.message] = newValue }
    }

    /// Creates an error; severity and suggestion default to the catalog entry of `code`.
    ///
    /// - Parameters:
    ///   - code: the stable code of the failure.
    ///   - message: one line saying what went wrong.
    ///   - layout: the layout that was asked for, if the failure concerns a request.
    ///   - allocatorKind: what kind of component reports `capacity`, `used` and `available`.
    ///   - capacity: the allocator's capacity in bytes, where known.
    ///   - used: the bytes in use when the failure happened, where known.
    ///   - available: the bytes that could still be handed out, where known.
    ///   - severity: how serious the failure is; nil for the catalog's severity.
    ///   - suggestion: what to do about it; nil for the catalog's fix.
    ///   - notes: extra facts for the diagnostic.
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
        self.box = Box(
            Fields(
                message: message, layout: layout, allocatorKind: allocatorKind, capacity: capacity, used: used,
                available: available, severity: severity ?? code.entry.severity,
                suggestion: suggestion ?? code.entry.fix, notes: notes))
    }

    /// Equal when the code and every detail are equal.
    ///
    /// - Parameters:
    ///   - lhs: an error.
    ///   - rhs: another error.
    /// - Returns: whether both have the same code and details.
    public static func == (lhs: AllocError, rhs: AllocError) -> Bool {
        lhs.code == rhs.code && (lhs.box === rhs.box || lhs.box.fields == rhs.box.fields)
    }

    /// One detail; a write copies the box first unless this error holds the only reference.
    private subscript<Value>(field: WritableKeyPath<Fields, Value>) -> Value {
        get { box.fields[keyPath: field] }
        set {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            box.fields[keyPath: field] = newValue
        }
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
        ///
        /// - Parameters:
        ///   - lhs: a severity.
        ///   - rhs: another severity.
        /// - Returns: whether `lhs` is less serious than `rhs`.
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
    /// An error's details, each spelled once: stored in `Box`, compared for equality.
    private struct Fields: Equatable {
        var message: String
        var layout: Layout?
        var allocatorKind: AllocatorKind?
        var capacity: Int?
        var used: Int?
        var available: Int?
        var severity: Severity
        var suggestion: String
        var notes: [String]
    }

    /// The box behind an error's details. It is only mutated while uniquely referenced (copy on
    /// write in the `field` subscript), so sharing it between threads never races: that is why
    /// the unchecked conformance is safe.
    private final class Box: @unchecked Sendable {
        var fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }
}
