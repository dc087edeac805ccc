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
    /// - Returns: the marker, to pass to ``release(to:)``.
    /// - Complexity: O(1) amortized; marks without allocations in between share one entry.
    @inlinable
    public func mark() -> Marker {
        _state.pointee.mark()
    }

    /// Pops everything pushed after `marker`, deinitializing the non-trivial values created
    /// since, newest first.
    ///
    /// - Parameter marker: a marker this stack's ``mark()`` returned.
    /// - Throws: `ALLOC_INVALID_STATE` for a marker of another stack or one invalidated by an
    ///   earlier release or reset, and in hardened mode for a damaged canary of an allocation
    ///   pushed since ("heap corruption detected"); `ALLOC_LIFO_VIOLATION` for a marker above
    ///   the current top (its allocations were already popped). The stack is then unchanged.
    /// - Complexity: O(1) plus one step per value deinitialized (and, hardened, per allocation
    ///   popped); O(log *n*) in the *n* valid markers to find one that is not the newest.
    @inlinable
    public func release(to marker: Marker) throws(AllocError) {
        if !_state.pointee.releaseFast(to: marker) { try _releaseSlow(to: marker) }
    }

    @usableFromInline
    @inline(never)
    func _releaseSlow(to marker: Marker) throws(AllocError) {
        try _state.pointee.releaseSlow(to: marker)
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
    /// - Parameter body: runs with this stack; what it pushes is popped when it ends.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws; the frame is popped all the same.
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
