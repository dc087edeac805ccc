/// The deinitializers of non-trivial values that an arena created, newest first.
///
/// A record lives in the arena itself, right before its value, so registering a value costs
/// no heap allocation and reclaiming the memory reclaims the record too. The record keeps the
/// value's type as a metatype (a plain pointer), which is opened to deinitialize the value.
@usableFromInline
struct _DropRecord {
    @usableFromInline var previous: UnsafeMutablePointer<_DropRecord>?
    @usableFromInline var type: Any.Type
    @usableFromInline var value: UnsafeMutableRawPointer

    @inlinable
    init(previous: UnsafeMutablePointer<_DropRecord>?, type: Any.Type, value: UnsafeMutableRawPointer) {
        self.previous = previous
        self.type = type
        self.value = value
    }
}

@usableFromInline
struct _DropList {
    @usableFromInline var head: UnsafeMutablePointer<_DropRecord>?

    @usableFromInline
    init() {}

    /// The layout of a block holding a record followed by a `T`, and the value's offset in it.
    @inlinable
    static func blockLayout<T>(for type: T.Type) -> (layout: Layout, valueOffset: Int) {
        let alignment = Swift.max(MemoryLayout<_DropRecord>.alignment, MemoryLayout<T>.alignment)
        let offset = _alignUp(MemoryLayout<_DropRecord>.size, MemoryLayout<T>.alignment)
        return (Layout(_uncheckedSize: offset + MemoryLayout<T>.size, alignment: alignment), offset)
    }

    /// Writes a record at `block` for a `T` at `block + valueOffset` and makes it the newest.
    @inlinable
    mutating func push<T>(_ type: T.Type, block: UnsafeMutableRawPointer, valueOffset: Int) {
        let record = block.bindMemory(to: _DropRecord.self, capacity: 1)
        record.initialize(to: _DropRecord(previous: head, type: T.self, value: block + valueOffset))
        head = record
    }

    /// Deinitializes values, newest first, until `stop` is the newest record.
    @usableFromInline
    mutating func run(until stop: UnsafeMutablePointer<_DropRecord>?) {
        while let record = head, record != stop {
            // Unlink first: a deinit that re-enters the arena sees a consistent list.
            head = record.pointee.previous
            Self.deinitialize(record.pointee.type, at: record.pointee.value)
        }
    }

    /// Forgets the newest record without deinitializing (the caller gave its value back).
    @usableFromInline
    mutating func forgetNewest() {
        head = head?.pointee.previous
    }

    private static func deinitialize<T>(_ type: T.Type, at pointer: UnsafeMutableRawPointer) {
        pointer.assumingMemoryBound(to: T.self).deinitialize(count: 1)
    }
}
