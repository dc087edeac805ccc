/// The checkpoints (or markers) of one arena that can still be restored.
///
/// Valid restore points always form a stack: restoring to one, or reclaiming memory below
/// one, invalidates every point taken after it. Each point gets a serial number; a restore is
/// legal exactly when its serial is still on this stack, which makes stale checkpoints (after
/// a reset, or after restoring an older one) detectable in O(log n) with no per-checkpoint
/// heap allocation: the buffer grows geometrically and is reused.
@usableFromInline
struct _RestorePointStack {
    @usableFromInline
    struct Entry {
        @usableFromInline var serial: UInt64
        @usableFromInline var position: Int
        /// The cursor's address: the end of one chunk and the start of the next share a
        /// position but are different states.
        @usableFromInline var cursor: Int

        @inlinable
        init(serial: UInt64, position: Int, cursor: Int) {
            self.serial = serial
            self.position = position
            self.cursor = cursor
        }
    }

    @usableFromInline var entries = _GrowableBuffer<Entry>(initialCapacity: 16)
    @usableFromInline var nextSerial: UInt64 = 1
    /// The newest point's position, `Int.min` when there is none: one comparison tells
    /// whether any point lies above a position.
    @usableFromInline var newestPosition = Int.min

    @usableFromInline
    init() {}

    /// Points that can still be restored.
    @inlinable
    var count: Int { entries.count }

    /// Returns the serial of a restore point at `position` with the cursor at `cursor`. A point
    /// equal to the newest one describes the same state, so it shares its serial instead of
    /// growing the stack: repeated checkpoints without allocations in between cost no memory.
    ///
    /// Returns nil when the stack cannot grow (the C allocator failed).
    @inlinable
    mutating func push(position: Int, cursor: Int) -> UInt64? {
        if let top = entries.last, top.position == position, top.cursor == cursor { return top.serial }
        guard entries.reserveOne() else { return nil }
        let serial = nextSerial
        nextSerial &+= 1
        entries.append(Entry(serial: serial, position: position, cursor: cursor))
        newestPosition = position
        return serial
    }

    /// Whether `serial` is the newest valid point: the common case of nested scopes, checked
    /// in O(1) before any search.
    @inlinable
    func isNewest(_ serial: UInt64) -> Bool {
        entries.last?.serial == serial
    }

    /// The index of `serial` on the stack, or nil when it is no longer (or never was) valid.
    @usableFromInline
    func index(of serial: UInt64) -> Int? {
        if isNewest(serial) { return count - 1 }
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].serial < serial { low = mid + 1 } else { high = mid }
        }
        return low < count && entries[low].serial == serial ? low : nil
    }

    /// Keeps the points up to and including `index`.
    @usableFromInline
    mutating func truncate(keepingThrough index: Int) {
        entries.count = index + 1
        newestPosition = entries[index].position
    }

    /// Drops the points above `position` after memory below them was reclaimed.
    @inlinable
    mutating func invalidate(above position: Int) {
        guard newestPosition > position else { return }
        repeat {
            entries.count -= 1
        } while entries.last.map { $0.position > position } ?? false
        newestPosition = entries.last?.position ?? Int.min
    }

    /// The position of the newest valid point, or nil.
    @inlinable
    var topPosition: Int? {
        count > 0 ? newestPosition : nil
    }

    @inlinable
    mutating func removeAll() {
        entries.count = 0
        newestPosition = Int.min
    }

    @usableFromInline
    mutating func deallocate() {
        entries.deallocate()
        newestPosition = Int.min
    }
}
