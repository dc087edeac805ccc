/// A free block holds one word: the link to the next free block, its address with the slab
/// index in the top byte (user-space addresses stay below 2^56 on every 64-bit platform we
/// support, 57-bit x86 paging included). Taking a block then needs one mask to find the next
/// link, and the slab for marking the block live comes along without a search.
///
/// One 8-byte word on purpose: a link of two fields read with one 16-byte load after two
/// narrower stores defeats store-to-load forwarding and stalls every free-then-allocate pair
/// (see `_StackHeader`). The list's loop (load the head, load its link, store the head) is
/// the latency floor of a free list, which is why the pools keep a hot block or a magazine
/// in front of it.
@usableFromInline
enum _FreeLink {
    /// The end of the free list (no block lives at address 0).
    @inlinable static var end: UInt64 { 0 }

    @inlinable
    static func make(address: Int, slab: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: address) | UInt64(truncatingIfNeeded: slab) &<< 56
    }

    @inlinable
    static func address(_ link: UInt64) -> Int { Int(truncatingIfNeeded: link & 0x00FF_FFFF_FFFF_FFFF) }

    @inlinable
    static func slab(_ link: UInt64) -> Int { Int(truncatingIfNeeded: link &>> 56) }
}
