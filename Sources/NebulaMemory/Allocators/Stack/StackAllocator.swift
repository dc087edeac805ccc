/// A LIFO allocator: allocations are freed newest first, one at a time or a frame at once.
///
/// The allocator for nested work with a clear call structure: a node that calls sub-nodes
/// allocates its scratch space, and the frame is popped when it returns.
///
/// ```swift
/// let stack = try StackAllocator(capacity: 256 * 1024)
/// try stack.withFrame { frame in
///     let a = try frame.allocate(Int.self, count: 16)
///     let b = try frame.allocate(Double.self, count: 16)
///     try frame.deallocate(b, count: 16)   // the top: fine
///     try frame.deallocate(a, count: 16)   // now the top: fine
/// }
/// ```
///
/// Implementation Notes: each allocation is preceded by an 8-byte header holding the
/// previous top, so freeing the top is O(1) and any other free is detected as
/// `ALLOC_LIFO_VIOLATION` without changing anything. Markers are validated like bump-arena
/// checkpoints: one from another stack, or invalidated by an earlier release, is refused.
///
/// - Complexity: every operation O(1), plus one step per non-trivial value deinitialized.
/// - Important: not thread-safe and therefore not `Sendable`: Swift 6 rejects sharing a
///   stack between tasks at compile time.
public final class StackAllocator: ResettableAllocator {
    @usableFromInline
    let _state: UnsafeMutablePointer<_StackState>

    /// The total bytes of the stack, headers included.
    public let capacity: Int
    /// The configuration the stack was created with.
    public let configuration: Configuration

    /// Bytes each allocation spends on its header, before alignment padding.
    @inlinable
    public static var headerSize: Int { MemoryLayout<UInt64>.size }

    /// Creates a stack of `capacity` bytes.
    ///
    /// - Parameters:
    ///   - capacity: the total bytes of the stack, headers included.
    ///   - configuration: checks and statistics.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1 or of 2^48 bytes or more
    ///   (headers hold 48-bit distances); `ALLOC_OUT_OF_MEMORY` when the system has no memory for it.
    public init(capacity: Int, configuration: Configuration = .default) throws(AllocError) {
        guard capacity > 0, capacity <= _StackHeader.maxCapacity else {
            throw AllocError.badConfiguration(
                "capacity must be from 1 byte to \(_StackHeader.maxCapacity) bytes", value: "capacity: \(capacity)")
        }
        guard let memory = _RawMemory.allocate(byteCount: capacity, alignment: 64) else {
            throw AllocError.systemOutOfMemory(bytes: capacity, allocatorKind: .stack)
        }
        if configuration.debugFill { _RawMemory.fill(memory, byte: _FillPattern.reclaimed, count: capacity) }
        self.capacity = capacity
        self.configuration = configuration
        _state = .allocate(capacity: 1)
        _state.initialize(
            to: _StackState(base: Int(bitPattern: memory), capacity: capacity, configuration: configuration))
    }

    deinit {
        _state._destroy()
    }

    /// Bytes in use, headers and padding included.
    public var used: Int { _state.pointee.position }

    /// Bytes left above the top (an allocation also needs its header and padding).
    public var available: Int { capacity - used }

    /// The stack's counters, or nil when `trackStatistics` is off.
    public var statistics: AllocatorStatistics? {
        let s = _state.pointee
        guard s.trackStatistics else { return nil }
        return AllocatorStatistics(
            counters: s.counters, deallocations: s.deallocations, bytesInUse: s.position,
            peakBytesInUse: Swift.max(s.peak, s.position), resets: s.resets)
    }

    /// Frees everything, deinitializing non-trivial values created by ``create(_:)`` newest
    /// first. Invalidates every marker.
    ///
    /// - Important: in hardened mode the reset checks every canary first. It cannot throw, so
    ///   a damaged canary stops the process with the error's description: the one case where
    ///   corruption traps. Call ``resetVerifying()`` to get the error thrown instead.
    /// - Complexity: O(1) plus one step per value deinitialized (O(live allocations) when
    ///   hardened).
    @inlinable
    public func reset() {
        if !_state.pointee.resetFast() { _resetSlow() }
    }

    @usableFromInline
    @inline(never)
    func _resetSlow() {
        _state.pointee.resetSlow()
    }
}
