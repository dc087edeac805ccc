extension _StackState {
    @inlinable
    mutating func mark() -> StackAllocator.Marker {
        settle()
        let used = cursor &- base
        guard let serial = points.push(position: used, cursor: cursor) else {
            // As for Swift's own collections, failing to grow a small buffer is not recoverable.
            fatalError("out of memory while recording a stack marker")
        }
        pointsChanged()
        return StackAllocator.Marker(
            stackID: id, serial: serial, used: used, top: top, dropHead: UInt(bitPattern: drops.head))
    }

    /// Releases `marker` and returns true in the common case; false sends the caller to the
    /// slow path.
    @inlinable
    @inline(__always)
    mutating func releaseFast(to marker: StackAllocator.Marker) -> Bool {
        settle()
        // The common case, the end of the innermost frame: nothing to deinitialize or fill.
        if marker.stackID == id, points.isNewest(marker.serial), UInt(bitPattern: drops.head) == marker.dropHead,
            !slowReclaim, marker.used <= cursor &- base
        {
            notePeak()
            cursor = base &+ marker.used
            top = marker.top
            return true
        }
        return false
    }

    @usableFromInline
    @inline(__always)
    mutating func releaseSlow(to marker: StackAllocator.Marker) throws(AllocError) {
        guard marker.stackID == id else {
            throw AllocError.foreignRestorePoint(
                "marker", allocatorKind: .stack, capacity: capacity, used: position, available: capacity - position)
        }
        guard marker.used <= position else {
            throw describing(
                AllocError(
                    .lifoViolation, "marker at offset \(marker.used) is above the top of the stack (\(position))",
                    suggestion: "release frames in nested order; prefer withFrame"))
        }
        guard let index = points.index(of: marker.serial) else {
            throw AllocError.staleRestorePoint(
                "marker", offset: marker.used, allocatorKind: .stack, capacity: capacity, used: position,
                available: capacity - position)
        }
        if hardened { try checkCanaries(above: marker.top) }
        notePeak()
        drops.run(until: UnsafeMutablePointer(bitPattern: marker.dropHead))
        release(toCursor: base + marker.used, top: marker.top)
        points.truncate(keepingThrough: index)
        pointsChanged()
    }

    /// Empties the stack when that is a few stores (no values to deinitialize, no fill or
    /// canaries); false when the caller must take the slow path.
    @inlinable
    mutating func resetFast() -> Bool {
        guard drops.head == nil, !slowReclaim else { return false }
        notePeak()
        if freedTop != 0 {
            freedTop = 0
            settledFrees &+= 1
        }
        cursor = base
        top = base
        points.removeAll()
        pointsChanged()
        resets &+= 1
        return true
    }

    /// Empties the stack in any configuration; when hardened, a damaged canary stops the
    /// process (see `trapOnCorruption`).
    @usableFromInline
    @inline(__always)
    mutating func resetSlow() {
        if hardened { trapOnCorruption() }
        settle()
        notePeak()
        drops.run(until: nil)
        release(toCursor: base, top: base)
        points.removeAll()
        pointsChanged()
        resets += 1
    }

    /// Throws for the newest damaged canary (hardened); returns at once otherwise.
    @usableFromInline
    mutating func verifyCanaries() throws(AllocError) {
        guard hardened else { return }
        try checkCanaries(above: base)
    }

    /// Deinitializes the values left and frees the stack's memory: the end of the stack.
    @usableFromInline
    mutating func tearDown() {
        drops.run(until: nil)
        points.deallocate()
        _RawMemory.free(UnsafeMutableRawPointer(bitPattern: base))
        counters?.deallocate()
    }
}
