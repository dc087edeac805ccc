/// A record of a non-trivial value an arena created: how to deinitialize it.
///
/// It lives in the arena itself, right before its value, so registering a value costs no
/// heap allocation and reclaiming the memory reclaims the record too. The value's type is
/// kept as a metatype (a plain pointer), which is opened to deinitialize the value.
@usableFromInline
struct _DropRecord {
    @usableFromInline var previous: UnsafeMutablePointer<_DropRecord>?
    /// nil once the caller deinitialized the value and gave it back.
    @usableFromInline var type: Any.Type?
    @usableFromInline var value: UnsafeMutableRawPointer
    /// The value's address mixed with the list's key: tells a record from user bytes that
    /// happen to hold the value's address where a record would be.
    @usableFromInline var check: UInt

    @inlinable
    init(previous: UnsafeMutablePointer<_DropRecord>?, type: Any.Type, value: UnsafeMutableRawPointer, check: UInt) {
        self.previous = previous
        self.type = type
        self.value = value
        self.check = check
    }
}

/// The records of an arena's non-trivial values, newest first.
@usableFromInline
struct _DropList {
    @usableFromInline var head: UnsafeMutablePointer<_DropRecord>?
    @usableFromInline let key: UInt

    @usableFromInline
    init() {
        self.init(head: nil, key: .random(in: .min ... .max))
    }

    /// A view of a list kept elsewhere (a thread-safe arena keeps its head in an atomic).
    @usableFromInline
    init(head: UnsafeMutablePointer<_DropRecord>?, key: UInt) {
        self.head = head
        self.key = key
    }

    /// Where a value of the given alignment starts after its record.
    @inlinable
    static func valueOffset(alignment: Int) -> Int {
        _alignUp(MemoryLayout<_DropRecord>.stride, alignment)
    }

    /// The layout of a block holding a record followed by a `T`, and the value's offset in it.
    /// The value takes its stride, as in `Layout.array(of:count:)`, so typed deallocation agrees.
    @inlinable
    static func blockLayout<T>(for type: T.Type) -> (layout: Layout, valueOffset: Int) {
        let alignment = Swift.max(MemoryLayout<_DropRecord>.alignment, MemoryLayout<T>.alignment)
        let offset = valueOffset(alignment: MemoryLayout<T>.alignment)
        return (Layout(_uncheckedSize: offset + MemoryLayout<T>.stride, alignment: alignment), offset)
    }

    /// `create` of the arenas: a trivial `T` is allocated as is; a non-trivial one gets a
    /// record in front of it, pushed on `drops`, so the arena deinitializes it later.
    @inlinable
    static func create<T, Arena: Allocator>(_ value: T, in arena: Arena, drops: UnsafeMutablePointer<_DropList>)
        throws(AllocError) -> UnsafeMutablePointer<T>
    {
        if _isPOD(T.self) {
            let pointer = try arena.allocate(Layout.of(T.self)).bindMemory(to: T.self, capacity: 1)
            pointer.initialize(to: value)
            return pointer
        }
        let block = blockLayout(for: T.self)
        let raw = try arena.allocate(block.layout)
        drops.pointee.push(T.self, block: raw, valueOffset: block.valueOffset)
        let pointer = (raw + block.valueOffset).bindMemory(to: T.self, capacity: 1)
        pointer.initialize(to: value)
        return pointer
    }

    /// Writes a record at `block` for a `T` at `block + valueOffset` and makes it the newest.
    @inlinable
    mutating func push<T>(_ type: T.Type, block: UnsafeMutableRawPointer, valueOffset: Int) {
        let value = block + valueOffset
        let record = block.bindMemory(to: _DropRecord.self, capacity: 1)
        record.initialize(
            to: _DropRecord(previous: head, type: T.self, value: value, check: UInt(bitPattern: value) ^ key))
        head = record
    }

    /// The live record of the value at `pointer` (created with that alignment), or nil when
    /// the value was not created with a record. `lowerBound` is where the arena memory that
    /// holds `pointer` begins; nothing below it is read.
    @usableFromInline
    func record(of pointer: UnsafeMutableRawPointer, alignment: Int, lowerBound: Int)
        -> UnsafeMutablePointer<_DropRecord>?
    {
        let address = Int(bitPattern: pointer) - Self.valueOffset(alignment: alignment)
        guard address >= lowerBound, address % MemoryLayout<_DropRecord>.alignment == 0,
            let raw = UnsafeRawPointer(bitPattern: address)
        else { return nil }
        let value = raw.load(fromByteOffset: MemoryLayout<_DropRecord>.offset(of: \.value)!, as: UInt.self)
        let check = raw.load(fromByteOffset: MemoryLayout<_DropRecord>.offset(of: \.check)!, as: UInt.self)
        guard value == UInt(bitPattern: pointer), check == value ^ key else { return nil }
        let record = UnsafeMutablePointer<_DropRecord>(bitPattern: address)!
        return record.pointee.type == nil ? nil : record
    }

    /// The live record of the value at `pointer`, found by walking the list: it reads only
    /// records, never memory that may belong to someone else (a thread-safe arena cannot read
    /// the bytes below an arbitrary pointer without racing with their owner).
    ///
    /// - Complexity: O(records).
    @usableFromInline
    func record(ofValue pointer: UnsafeMutableRawPointer) -> UnsafeMutablePointer<_DropRecord>? {
        var current = head
        while let record = current {
            if record.pointee.value == pointer, record.pointee.type != nil { return record }
            current = record.pointee.previous
        }
        return nil
    }

    /// Deinitializes values, newest first, until `stop` is the newest record.
    @usableFromInline
    mutating func run(until stop: UnsafeMutablePointer<_DropRecord>?) {
        while let record = head, record != stop {
            // Unlink first: a deinit that re-enters the arena sees a consistent list.
            head = record.pointee.previous
            if let type = record.pointee.type {
                Self.deinitialize(type, at: record.pointee.value)
            }
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
