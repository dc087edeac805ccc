/// Maps an offset inside a slab to its block index: a shift for power-of-two strides (the
/// common block sizes), one multiplication otherwise, never a hardware division.
@usableFromInline
struct _BlockIndexer {
    @usableFromInline let stride: Int
    /// log2(stride), or -1 when the stride is not a power of two.
    @usableFromInline let shift: Int
    @usableFromInline let divisor: _FastDivisor

    @usableFromInline
    init(stride: Int) {
        self.stride = stride
        self.shift = stride & (stride - 1) == 0 ? stride.trailingZeroBitCount : -1
        self.divisor = _FastDivisor(stride)
    }

    /// The index of the block starting at `offset`, or nil when `offset` is inside a block.
    @inlinable
    @inline(__always)
    func index(ofOffset offset: Int) -> Int? {
        if shift >= 0 {
            return offset & (stride &- 1) == 0 ? offset &>> shift : nil
        }
        let index = divisor.divide(offset)
        return index &* stride == offset ? index : nil
    }

    /// The index of the block at `offset`, known to be a block start (a free-list link).
    @inlinable
    @inline(__always)
    func index(ofBlockAt offset: Int) -> Int {
        shift >= 0 ? offset &>> shift : divisor.divide(offset)
    }
}
