/// The mutable state of a ``StackAllocator``, behind a pointer (no exclusivity checks).
///
/// Hot paths read fields through the pointer, never non-mutating members: those would copy
/// the whole state first (see `_PoolState`).
@usableFromInline
struct _StackState: _ResettableState, _CountingState {
    @usableFromInline var cursor: Int
    /// The top allocation when `deallocate` freed it and its pop is still to be applied, else
    /// 0. Freeing the top stores only this (the freed pointer), and allocating again reuses the
    /// block when it fits: the loop of allocate, use, free then waits on one store-to-load
    /// round trip instead of two (the cursor from the header, then the header from the
    /// cursor). Everything else applies the pop first (`settle`), so it sees an ordinary stack.
    @usableFromInline var freedTop = 0
    /// A free of the top may be deferred only above this address: the newest restore point
    /// (a freed top reused without its pop would keep a point above it valid), the base when
    /// there is none (the top of an empty stack, where no allocation starts), or `Int.max`
    /// when every free takes the checked path (debug fill, hardened). Never negative: the
    /// free path reads the sign of `deferFloor - address`. Kept by `pointsChanged`.
    @usableFromInline var deferFloor: Int
    /// Start of the newest live allocation; `base` when the stack is empty (no allocation
    /// starts there: each has a header below it).
    @usableFromInline var top: Int
    @usableFromInline let base: Int
    @usableFromInline let limit: Int
    /// `limit` for the inlined fast path, or 0 to send every allocation to the slow path
    /// (debug fill, hardened): one comparison serves both checks.
    @usableFromInline let fastLimit: Int
    @usableFromInline let trackStatistics: Bool
    /// Requests by size class and failures by code; nil when statistics are off.
    @usableFromInline let counters: _AllocatorCounters?
    @usableFromInline let debugFill: Bool
    /// Debug fill or hardened: frees, releases and resets take the slow path.
    @usableFromInline let slowReclaim: Bool
    @usableFromInline let hardened: Bool
    /// Bytes after each allocation for its canary: 8 when hardened, else 0.
    @usableFromInline let canaryBytes: Int
    @usableFromInline let canaryKey: UInt64
    /// Allocations placed at the cursor (not reusing a freed top).
    @usableFromInline var placed = 0
    /// Frees of the top whose pop was deferred, and deferred pops applied since: each deferred
    /// free not applied (nor pending) was followed by an allocation reusing its block, so
    /// reuse needs no counter of its own.
    @usableFromInline var deferredFrees = 0
    @usableFromInline var settledFrees = 0
    /// Frees that popped at once.
    @usableFromInline var poppedFrees = 0
    @usableFromInline var resets = 0
    /// The highest cursor before the last pop, reset or release (the peak is the higher of
    /// it and the cursor): noted where the cursor goes down, so allocation costs nothing.
    @usableFromInline var peakCursor: Int
    @usableFromInline var drops = _DropList()
    @usableFromInline var points = _RestorePointStack()
    @usableFromInline let id = _makeAllocatorID()

    @usableFromInline
    init(base: Int, capacity: Int, configuration: StackAllocator.Configuration) {
        self.base = base
        self.cursor = base
        self.top = base
        self.peakCursor = base
        self.deferFloor = configuration.debugFill || configuration.hardened ? Int.max : base
        self.limit = base + capacity
        self.fastLimit = configuration.debugFill || configuration.hardened ? 0 : base + capacity
        self.trackStatistics = configuration.trackStatistics
        self.counters = configuration.trackStatistics ? _AllocatorCounters() : nil
        self.debugFill = configuration.debugFill
        self.slowReclaim = configuration.debugFill || configuration.hardened
        self.hardened = configuration.hardened
        self.canaryBytes = configuration.hardened ? _Canary.size : 0
        self.canaryKey = configuration.hardened ? _Canary.makeKey() : 0
    }

    /// Bytes in use.
    @inlinable
    var position: Int { settledCursor &- base }

    /// The cursor with a deferred pop applied: what `used` counts.
    @inlinable
    var settledCursor: Int {
        freedTop == 0 ? cursor : _StackHeader.load(below: freedTop).previousCursor
    }

    /// Applies a deferred pop: afterwards `cursor` and `top` describe the stack exactly.
    @inlinable
    @inline(__always)
    mutating func settle() {
        if freedTop != 0 { popFreedTop() }
    }

    /// Allocations ever made.
    @inlinable
    var allocations: Int { placed &+ deferredFrees &- settledFrees &- (freedTop == 0 ? 0 : 1) }

    /// Deallocations ever made.
    @inlinable
    var deallocations: Int { deferredFrees &+ poppedFrees }

    @usableFromInline
    mutating func popFreedTop() {
        let header = _StackHeader.load(below: freedTop)
        freedTop = 0
        settledFrees &+= 1
        notePeak()
        cursor = header.previousCursor
        top = header.previousTop
        points.invalidate(above: header.previousCursor &- base)
        pointsChanged()
    }

    /// Refreshes `deferFloor` after the restore points changed.
    @inlinable
    mutating func pointsChanged() {
        deferFloor =
            slowReclaim ? Int.max : points.newestPosition == Int.min ? base : base &+ points.newestPosition
    }

    /// The most bytes in use at once.
    @inlinable
    var peak: Int { Swift.max(peakCursor, cursor) &- base }

    /// Stores only for a new peak: an unconditional store would make every pop wait for the
    /// previous one's.
    @inlinable
    mutating func notePeak() {
        if _slowPath(cursor > peakCursor) { peakCursor = cursor }
    }

    /// Moves the top back to `cursor`/`top`, filling what is released in debug mode.
    @inlinable
    @inline(__always)
    mutating func release(toCursor newCursor: Int, top newTop: Int) {
        if debugFill, cursor > newCursor { fillReleased(from: newCursor) }
        cursor = newCursor
        top = newTop
    }

    @usableFromInline
    mutating func fillReleased(from newCursor: Int) {
        _RawMemory.fill(
            UnsafeMutableRawPointer(bitPattern: newCursor)!, byte: _FillPattern.reclaimed, count: cursor - newCursor)
    }
}
