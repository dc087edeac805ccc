import _NebulaMemoryShims

extension MemoryOps {
    /// Sets every byte of `buffer` to zero, in a way the optimizer cannot remove.
    ///
    /// A plain `memset` (or `initializeMemory(as:repeating:count:)`) on memory that is never
    /// read again is a dead store, and an optimizing compiler may drop it, leaving a secret
    /// in memory that is about to be freed or reused. This zeroing is followed by a compiler
    /// barrier that claims to read the memory, so it always happens.
    ///
    /// ```swift
    /// let token = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
    /// defer { token.deallocate() }
    /// …   // use the token
    /// MemoryOps.secureZero(token)
    /// ```
    ///
    /// An empty buffer (or one without a base address) is left alone.
    ///
    /// - Parameter buffer: the memory to clear; its `count` is the number of bytes.
    /// - Complexity: O(`buffer.count`).
    public static func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        nm_secure_zero(base, buffer.count)
    }

    /// Sets `count` bytes at `pointer` to zero, in a way the optimizer cannot remove; see
    /// ``secureZero(_:)``.
    ///
    /// - Parameters:
    ///   - pointer: the start of the memory to clear.
    ///   - count: how many bytes to clear, 0 or more.
    /// - Precondition: `count >= 0`. A negative count is a bug in the caller's size arithmetic
    ///   that no error could make safe, so it stops the process instead of writing anywhere.
    ///   Use ``secureZero(_:)`` with a buffer to have the size checked by construction.
    /// - Complexity: O(`count`).
    public static func secureZero(_ pointer: UnsafeMutableRawPointer, count: Int) {
        precondition(count >= 0, "secureZero: count must not be negative (\(count))")
        guard count > 0 else { return }
        nm_secure_zero(pointer, count)
    }
}
