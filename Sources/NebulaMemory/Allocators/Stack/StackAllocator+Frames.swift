extension StackAllocator {
    /// A saved top of the stack; releasing to it pops everything pushed after it.
    public struct Marker: Sendable, Hashable {
        @usableFromInline let stackID: UInt64
        @usableFromInline let serial: UInt64
        /// The stack's `used` bytes when the marker was taken.
        public let used: Int
        @usableFromInline let top: Int
        @usableFromInline let dropHead: UInt

        @inlinable
        init(stackID: UInt64, serial: UInt64, used: Int, top: Int, dropHead: UInt) {
            self.stackID = stackID
            self.serial = serial
            self.used = used
            self.top = top
            self.dropHead = dropHead
        }
    }

    /// Saves the current top.
    ///
    /// - Complexity: O(1) amortized; marks without allocations in between share one entry.
    @inlinable
    public func mark() -> Marker {
        let state = _state
        state.pointee.settle()
        let used = state.pointee.cursor &- state.pointee.base
        guard let serial = state.pointee.points.push(position: used, cursor: state.pointee.cursor) else {
            // As for Swift's own collections, failing to grow a small buffer is not recoverable.
            fatalError("out of memory while recording a stack marker")
        }
        state.pointee.pointsChanged()
        return Marker(
            stackID: state.pointee.id, serial: serial, used: used, top: state.pointee.top,
            dropHead: UInt(bitPattern: state.pointee.drops.head))
    }

    /// Pops everything pushed after `marker`, deinitializing the non-trivial values created
    /// since, newest first.
    ///
    /// - Throws: `ALLOC_INVALID_STATE` for a marker of another stack or one invalidated by an
    ///   earlier release or reset, and in hardened mode for a damaged canary of an allocation
    ///   pushed since ("heap corruption detected"); `ALLOC_LIFO_VIOLATION` for a marker above
    ///   the current top (its allocations were already popped). The stack is then unchanged.
    @inlinable
    public func release(to marker: Marker) throws(AllocError) {
        let state = _state
        state.pointee.settle()
        // The common case, the end of the innermost frame: nothing to deinitialize or fill.
        if marker.stackID == state.pointee.id, state.pointee.points.isNewest(marker.serial),
            UInt(bitPattern: state.pointee.drops.head) == marker.dropHead, !state.pointee.checked,
            marker.used <= state.pointee.cursor &- state.pointee.base
        {
            state.pointee.notePeak()
            state.pointee.cursor = state.pointee.base &+ marker.used
            state.pointee.top = marker.top
            return
        }
        try _releaseSlow(to: marker)
    }

    @usableFromInline
    func _releaseSlow(to marker: Marker) throws(AllocError) {
        let state = _state
        guard marker.stackID == state.pointee.id else {
            throw AllocError.foreignRestorePoint(
                "marker", allocatorKind: .stack, capacity: capacity, used: used, available: available)
        }
        guard marker.used <= state.pointee.position else {
            throw withState(
                AllocError(
                    .lifoViolation, "marker at offset \(marker.used) is above the top of the stack (\(used))",
                    suggestion: "release frames in nested order; prefer withFrame"))
        }
        guard let index = state.pointee.points.index(of: marker.serial) else {
            throw AllocError.staleRestorePoint(
                "marker", offset: marker.used, allocatorKind: .stack, capacity: capacity, used: used,
                available: available)
        }
        if state.pointee.hardened { try _checkCanaries(above: marker.top) }
        state.pointee.notePeak()
        state.pointee.drops.run(until: UnsafeMutablePointer(bitPattern: marker.dropHead))
        state.pointee.release(toCursor: state.pointee.base + marker.used, top: marker.top)
        state.pointee.points.truncate(keepingThrough: index)
        state.pointee.pointsChanged()
    }

    /// Runs `body` with this stack and pops what it pushed when it returns or throws.
    ///
    /// ```swift
    /// let checksum = try stack.withFrame { frame in
    ///     let scratch = try frame.allocate(UInt8.self, count: 1024)
    ///     …
    /// }
    /// ```
    ///
    /// A body that releases to an older marker or resets has popped more than the frame
    /// would; the frame's end then leaves the stack as the body did.
    ///
    /// - Important: in hardened mode the frame's end checks the canaries of what the body
    ///   pushed; as it cannot throw, a damaged one stops the process with the error's
    ///   description. Take a ``mark()`` and ``release(to:)`` it to get the error instead.
    @inlinable
    public func withFrame<Result, Failure: Error>(
        _ body: (StackAllocator) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let marker = mark()
        defer {
            if _state.pointee.hardened { _endHardenedFrame(marker) } else { try? release(to: marker) }
        }
        return try body(self)
    }

    /// Releases a frame's marker unless the body already went below it; corruption traps.
    @usableFromInline
    func _endHardenedFrame(_ marker: Marker) {
        guard _state.pointee.points.index(of: marker.serial) != nil, marker.used <= used else { return }
        do {
            try release(to: marker)
        } catch {
            fatalError("\(error)")
        }
    }
}
