/// Written just below every stack allocation: what to go back to when it is freed.
@usableFromInline
struct _StackHeader {
    @usableFromInline var previousCursor: Int
    @usableFromInline var previousTop: Int

    @inlinable
    init(previousCursor: Int, previousTop: Int) {
        self.previousCursor = previousCursor
        self.previousTop = previousTop
    }
}

/// The mutable state of a ``StackAllocator``, behind a pointer (no exclusivity checks).
@usableFromInline
struct _StackState {
    @usableFromInline var cursor: Int
    /// Start of the newest live allocation, 0 when the stack is empty.
    @usableFromInline var top = 0
    @usableFromInline let base: Int
    @usableFromInline let limit: Int
    @usableFromInline let trackStatistics: Bool
    @usableFromInline let debugFill: Bool
    @usableFromInline var allocations = 0
    @usableFromInline var deallocations = 0
    @usableFromInline var failedAllocations = 0
    @usableFromInline var resets = 0
    @usableFromInline var peak = 0
    @usableFromInline var drops = _DropList()
    @usableFromInline var points = _RestorePointStack()
    @usableFromInline let id = _makeAllocatorID()

    @usableFromInline
    init(base: Int, capacity: Int, configuration: StackAllocator.Configuration) {
        self.base = base
        self.cursor = base
        self.limit = base + capacity
        self.trackStatistics = configuration.trackStatistics
        self.debugFill = configuration.debugFill
    }

    @inlinable
    var position: Int { cursor &- base }

    @usableFromInline
    mutating func notePeak() {
        peak = Swift.max(peak, position)
    }

    /// Moves the top back to `cursor`/`top`, filling what is released in debug mode.
    @usableFromInline
    mutating func release(toCursor newCursor: Int, top newTop: Int) {
        if debugFill, cursor > newCursor {
            _RawMemory.fill(UnsafeMutableRawPointer(bitPattern: newCursor)!, byte: _FillPattern.reclaimed, count: cursor - newCursor)
        }
        cursor = newCursor
        top = newTop
    }
}
