/// Written just below every stack allocation: what to go back to when it is freed.
///
/// One 8-byte word of distances back from the allocation's start: to the previous cursor
/// (header plus padding, under 2^16) in the low 16 bits, to the previous top above them (the
/// stack's base for an empty stack, so the distance is never 0 and needs no special case). A
/// single 8-byte access, on purpose: two 8-byte fields were merged by the optimizer into one
/// 16-byte load of memory written by two 8-byte stores, which defeats store-to-load
/// forwarding, and freeing the newest allocation right away (the common case) stalled on
/// every pop. Distances need no base address, so neither storing nor loading reads any other
/// state.
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
        let word =
            UInt64(truncatingIfNeeded: address &- previousCursor)
            | UInt64(truncatingIfNeeded: address &- previousTop) &<< 16
        // Unaligned when the allocation is less aligned than 8; x86 and arm64 store it at full speed.
        (start - MemoryLayout<UInt64>.size).storeBytes(of: word, as: UInt64.self)
    }

    /// Header plus padding of the allocation at `start`: how far back its previous cursor is.
    @inlinable
    static func distanceToPreviousCursor(below start: Int) -> Int {
        Int(
            truncatingIfNeeded: UnsafeRawPointer(bitPattern: start &- MemoryLayout<UInt64>.size).unsafelyUnwrapped
                .loadUnaligned(as: UInt16.self))
    }

    @inlinable
    static func load(below start: Int) -> _StackHeader {
        let word = UnsafeRawPointer(bitPattern: start &- MemoryLayout<UInt64>.size).unsafelyUnwrapped
            .loadUnaligned(as: UInt64.self)
        return _StackHeader(
            previousCursor: start &- Int(truncatingIfNeeded: word & 0xFFFF),
            previousTop: start &- Int(truncatingIfNeeded: word &>> 16))
    }
}
