/// Written just below every stack allocation: what to go back to when it is freed.
///
/// One 8-byte word of distances back from the allocation's start: to the previous cursor
/// (header plus padding, under 2^16) in the low 16 bits, to the previous top above them (0
/// for an empty stack: a real top is always below the start). A single 8-byte access, on
/// purpose: two 8-byte fields were merged by the optimizer into one 16-byte load of memory
/// written by two 8-byte stores, which defeats store-to-load forwarding, and freeing the
/// newest allocation right away (the common case) stalled for about 15 cycles (W3 went from
/// 7.8 to 1.9 ns per pair with one word). Distances need no base address, so neither storing
/// nor loading reads any other state.
@usableFromInline
struct _StackHeader {
    @usableFromInline var previousCursor: Int
    @usableFromInline var previousTop: Int

    @inlinable
    init(previousCursor: Int, previousTop: Int) {
        self.previousCursor = previousCursor
        self.previousTop = previousTop
    }

    /// The largest stack: distances to the previous top must fit the header's 48 bits.
    @inlinable static var maxCapacity: Int { 1 << 48 - 1 }

    @inlinable
    func store(below start: UnsafeMutableRawPointer) {
        let address = Int(bitPattern: start)
        let topDistance = previousTop == 0 ? 0 : UInt64(truncatingIfNeeded: address &- previousTop)
        let word = UInt64(truncatingIfNeeded: address &- previousCursor) | topDistance &<< 16
        // Unaligned when the allocation is less aligned than 8; x86 and arm64 store it at full speed.
        (start - MemoryLayout<UInt64>.size).storeBytes(of: word, as: UInt64.self)
    }

    @inlinable
    static func load(below start: Int) -> _StackHeader {
        let word = UnsafeRawPointer(bitPattern: start &- MemoryLayout<UInt64>.size).unsafelyUnwrapped
            .loadUnaligned(as: UInt64.self)
        let topDistance = Int(truncatingIfNeeded: word &>> 16)
        return _StackHeader(
            previousCursor: start &- Int(truncatingIfNeeded: word & 0xFFFF),
            previousTop: topDistance == 0 ? 0 : start &- topDistance)
    }
}

/// The mutable state of a ``StackAllocator``, behind a pointer (no exclusivity checks).
///
/// Hot paths read fields through the pointer, never non-mutating members: those would copy
/// the whole state first (see `_PoolState`).
@usableFromInline
struct _StackState {
    @usableFromInline var cursor: Int
    /// Start of the newest live allocation, 0 when the stack is empty.
    @usableFromInline var top = 0
    @usableFromInline let base: Int
    @usableFromInline let limit: Int
    /// `limit` for the inlined fast path, or 0 to send every allocation to the slow path
    /// (debug fill, hardened): one comparison serves both checks.
    @usableFromInline let fastLimit: Int
    @usableFromInline let trackStatistics: Bool
    @usableFromInline let debugFill: Bool
    /// Debug fill or hardened: releases and resets take the slow path.
    @usableFromInline let checked: Bool
    @usableFromInline let hardened: Bool
    /// Bytes after each allocation for its canary: 8 when hardened, else 0.
    @usableFromInline let canaryBytes: Int
    @usableFromInline let canaryKey: UInt64
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
        self.fastLimit = configuration.debugFill || configuration.hardened ? 0 : base + capacity
        self.trackStatistics = configuration.trackStatistics
        self.debugFill = configuration.debugFill
        self.checked = configuration.debugFill || configuration.hardened
        self.hardened = configuration.hardened
        self.canaryBytes = configuration.hardened ? _Canary.size : 0
        self.canaryKey = configuration.hardened ? _Canary.makeKey() : 0
    }

    @inlinable
    var position: Int { cursor &- base }

    /// Stores only for a new peak: an unconditional store would make every pop wait for the
    /// previous one's.
    @inlinable
    mutating func notePeak() {
        let position = self.position
        if position > peak { peak = position }
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
    func fillReleased(from newCursor: Int) {
        _RawMemory.fill(
            UnsafeMutableRawPointer(bitPattern: newCursor)!, byte: _FillPattern.reclaimed, count: cursor - newCursor)
    }
}
