/// One contiguous run of blocks taken from the system, with the state byte of each block.
@usableFromInline
struct _PoolSlab {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    @usableFromInline var blockCount: Int
    /// Byte `i` holds the pool's generation while block `i` is handed out, and anything else
    /// (0 after a free, an older generation after a reset) while it is free; allocated only
    /// when pointers are validated. Byte `blockCount` is a sentinel that stays 0.
    ///
    /// A byte, not a bit: allocation then only stores (no read-modify-write), so a block freed
    /// and taken again at once does not wait for the previous write to the same word. A
    /// generation, not a flag: a reset makes every block free by moving to the next generation,
    /// in O(1), and clears the map only when the generation wraps (every 255th reset).
    @usableFromInline var live: UnsafeMutablePointer<UInt8>?
}
