/// Written just below every stack allocation: what to go back to when it is freed.
///
/// Both positions are packed as 32-bit offsets from the stack's base into one word, so the
/// header is written and read with a single 8-byte access. Two 8-byte fields were merged by
/// the optimizer into one 16-byte load of memory written by two 8-byte stores, which defeats
/// store-to-load forwarding: freeing the newest allocation right away (the common case) then
/// stalled for about 15 cycles (W3 went from 7.8 to 1.9 ns per pair with the packed form).
@usableFromInline
struct _StackHeader {
    @usableFromInline var previousCursor: Int
    @usableFromInline var previousTop: Int

    @inlinable
    init(previousCursor: Int, previousTop: Int) {
        self.previousCursor = previousCursor
        self.previousTop = previousTop
    }

    /// A stack's capacity must fit the 32-bit offsets.
    @inlinable static var maxCapacity: Int { Int(UInt32.max) }

    @inlinable
    func store(below start: UnsafeMutableRawPointer, base: Int) {
        // A top of 0 (empty stack) is offset 0: no allocation starts at the base, its header does.
        let top = previousTop == 0 ? 0 : UInt64(truncatingIfNeeded: previousTop &- base)
        let word = UInt64(truncatingIfNeeded: previousCursor &- base) | top &<< 32
        (start - MemoryLayout<UInt64>.size).storeBytes(of: word, as: UInt64.self)
    }

    @inlinable
    static func load(below start: Int, base: Int) -> _StackHeader {
        // Unaligned when the allocation is less aligned than 8; x86 and arm64 load it at full speed.
        let word = UnsafeRawPointer(bitPattern: start &- MemoryLayout<UInt64>.size).unsafelyUnwrapped
            .loadUnaligned(as: UInt64.self)
        let top = Int(truncatingIfNeeded: word &>> 32)
        return _StackHeader(
            previousCursor: base &+ Int(truncatingIfNeeded: word & 0xFFFF_FFFF), previousTop: top == 0 ? 0 : base &+ top
        )
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

    @inlinable
    mutating func notePeak() {
        peak = Swift.max(peak, position)
    }

    /// Moves the top back to `cursor`/`top`, filling what is released in debug mode.
    @usableFromInline
    mutating func release(toCursor newCursor: Int, top newTop: Int) {
        if debugFill, cursor > newCursor {
            _RawMemory.fill(
                UnsafeMutableRawPointer(bitPattern: newCursor)!, byte: _FillPattern.reclaimed, count: cursor - newCursor
            )
        }
        cursor = newCursor
        top = newTop
    }
}
