/// A fixed array of free-block links (see `_FreeLink`) that moves between a thread's cache and
/// a ``ConcurrentPoolAllocator``'s depot as one unit.
///
/// Moving a batch of blocks moves one pointer, and no freed block is written: an intrusive
/// free list writes every freed block and reads it back when it is reused, two cache misses
/// per block once a pool's blocks no longer fit in the cache (its memory traffic made two
/// threads that allocated a million blocks each and freed them spend most of their time in
/// the frees).
///
/// Memory: the next magazine on a depot stack, the number of links held, then the links.
@usableFromInline
struct _PoolMagazine {
    @usableFromInline let base: UnsafeMutableRawPointer

    @inlinable static var headerSize: Int { 16 }

    @inlinable
    init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    /// The magazine whose links start at `links`.
    @inlinable
    init(links: UnsafeMutablePointer<UInt64>) {
        self.base = UnsafeMutableRawPointer(links) - Self.headerSize
    }

    /// An empty magazine for `capacity` links, or nil when the system has no memory.
    static func make(capacity: Int) -> _PoolMagazine? {
        guard let base = _RawMemory.allocate(byteCount: headerSize + capacity * 8, alignment: 64) else { return nil }
        (base + headerSize).bindMemory(to: UInt64.self, capacity: capacity)
        let magazine = _PoolMagazine(base: base)
        magazine.next = nil
        magazine.count = 0
        return magazine
    }

    /// Gives the magazine's memory back to the system.
    func release() {
        _RawMemory.free(base)
    }

    @inlinable
    var links: UnsafeMutablePointer<UInt64> {
        (base + Self.headerSize).assumingMemoryBound(to: UInt64.self)
    }

    /// Links held; for a loaded magazine, see `_PoolThreadCache.count` instead.
    @inlinable
    var count: Int {
        get { base.load(fromByteOffset: 8, as: Int.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: 8, as: Int.self) }
    }

    /// The magazine below this one on a depot stack.
    @inlinable
    var next: _PoolMagazine? {
        get { base.load(as: UnsafeMutableRawPointer?.self).map(_PoolMagazine.init(base:)) }
        nonmutating set { base.storeBytes(of: newValue?.base, as: UnsafeMutableRawPointer?.self) }
    }
}
