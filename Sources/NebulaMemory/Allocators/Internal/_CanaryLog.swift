/// Where a hardened arena's allocations are, oldest first: the start and the size of each,
/// so every canary can be found and checked. One buffer that grows geometrically and is
/// reused after resets, so recording costs no heap allocation per allocation.
@usableFromInline
struct _CanaryLog {
    @usableFromInline
    struct Entry {
        @usableFromInline var address: Int
        @usableFromInline var size: Int

        @inlinable
        init(address: Int, size: Int) {
            self.address = address
            self.size = size
        }
    }

    @usableFromInline var entries = _GrowableBuffer<Entry>(initialCapacity: 64)

    @usableFromInline
    init() {}

    /// Entries recorded.
    @inlinable
    var count: Int { entries.count }

    /// Makes room for one more entry; false when the C allocator has no memory.
    @inlinable
    mutating func reserveOne() -> Bool {
        entries.reserveOne()
    }

    /// Appends an entry after ``reserveOne()`` made room.
    @inlinable
    mutating func append(address: Int, size: Int) {
        entries.append(Entry(address: address, size: size))
    }

    @inlinable
    subscript(index: Int) -> Entry {
        entries[index]
    }

    /// The newest entry whose allocation holds `[address, address + size)`, or nil.
    ///
    /// - Complexity: O(1) for the newest allocation, O(entries) at worst.
    @usableFromInline
    func index(containing address: Int, size: Int) -> Int? {
        var i = count - 1
        while i >= 0 {
            let entry = entries[i]
            if address >= entry.address, address <= entry.address + entry.size,
                size <= entry.address + entry.size - address
            {
                return i
            }
            i -= 1
        }
        return nil
    }

    /// The first entry in `range` whose canary is damaged, or nil when all are intact.
    @usableFromInline
    func firstDamaged(in range: Range<Int>, key: UInt64) -> Int? {
        for i in range {
            let entry = entries[i]
            if !_Canary.isIntact(at: entry.address + entry.size, key: key) { return i }
        }
        return nil
    }

    @usableFromInline
    mutating func truncate(to newCount: Int) {
        entries.count = Swift.min(entries.count, newCount)
    }

    @usableFromInline
    mutating func deallocate() {
        entries.deallocate()
    }
}
