/// The size and alignment of a block of memory, validated once so that allocators can trust it.
///
/// Every allocation request in NebulaMemory is a `Layout`. Its initializer rejects what no
/// allocator could serve, so the hot paths of the allocators only do arithmetic:
///
/// ```swift
/// let header = try Layout(size: 48, alignment: 16)
/// let node = Layout.of(WorkflowNode.self)
/// let buffer = try Layout.array(of: UInt8.self, count: 4096)
/// ```
///
/// Invariants: `size >= 0`; `alignment` is a power of two in `1...Layout.maximumAlignment`;
/// `size` rounded up to `alignment` does not overflow `Int`.
@frozen
public struct Layout: Hashable, Sendable {
    /// The number of bytes requested; zero is allowed.
    public let size: Int

    /// The required alignment of the first byte: a power of two, at most ``maximumAlignment``.
    public let alignment: Int

    /// The largest alignment a `Layout` accepts: one page.
    @inlinable
    public static var maximumAlignment: Int { 4096 }

    /// Creates a validated layout.
    ///
    /// - Parameters:
    ///   - size: the number of bytes, 0 or more.
    ///   - alignment: a power of two in `1...4096`; 8 by default.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a negative size, `ALLOC_INVALID_ALIGNMENT` for an
    ///   alignment that is not a power of two in `1...4096`, and `ALLOC_SIZE_OVERFLOW` when the
    ///   size rounded up to the alignment does not fit in an `Int`.
    @inlinable
    public init(size: Int, alignment: Int = 8) throws(AllocError) {
        guard size >= 0 else {
            throw AllocError.negativeSize(size, alignment: alignment)
        }
        guard alignment > 0, alignment <= Layout.maximumAlignment, alignment & (alignment &- 1) == 0 else {
            throw AllocError.badAlignment(size: size, alignment: alignment)
        }
        guard size <= Int.max &- (alignment &- 1) else {
            throw AllocError.sizeOverflow(size: size, alignment: alignment)
        }
        self.size = size
        self.alignment = alignment
    }

    /// Creates a layout from values the caller has already validated.
    @inlinable
    init(_uncheckedSize size: Int, alignment: Int) {
        self.size = size
        self.alignment = alignment
    }

    /// The layout of one value of `type`: its stride (its size rounded up to its alignment),
    /// so that it equals `Layout.array(of: type, count: 1)` and memory allocated for one value
    /// can be given back through either.
    ///
    /// Swift types always have a power-of-two alignment of at most 16 on supported platforms,
    /// so this cannot fail.
    ///
    /// - Parameter type: the type whose `MemoryLayout` stride and alignment are used.
    /// - Returns: a layout of `MemoryLayout<T>.stride` bytes, aligned to `MemoryLayout<T>.alignment`.
    @inlinable
    public static func of<T: ~Copyable>(_ type: T.Type) -> Layout {
        Layout(_uncheckedSize: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
    }

    /// The layout of `count` contiguous values of `type` (stride times count).
    ///
    /// - Parameters:
    ///   - type: the element type; its stride separates the values.
    ///   - count: how many values, 0 or more.
    /// - Returns: a layout of `count × stride` bytes, aligned to `MemoryLayout<T>.alignment`.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a negative count, `ALLOC_SIZE_OVERFLOW` when the
    ///   total size overflows `Int`.
    @inlinable
    public static func array<T: ~Copyable>(of type: T.Type, count: Int) throws(AllocError) -> Layout {
        guard count >= 0 else {
            throw AllocError.negativeCount(count, type: "\(T.self)")
        }
        let (total, overflow) = MemoryLayout<T>.stride.multipliedReportingOverflow(by: count)
        guard !overflow, total <= Int.max &- (MemoryLayout<T>.alignment &- 1) else {
            throw AllocError.countOverflow(count, stride: MemoryLayout<T>.stride, type: "\(T.self)")
        }
        return Layout(_uncheckedSize: total, alignment: MemoryLayout<T>.alignment)
    }

    /// `size` rounded up to a multiple of `alignment`; cannot overflow by the type's invariant.
    @inlinable
    public var paddedSize: Int {
        (size &+ alignment &- 1) & ~(alignment &- 1)
    }
}

extension Layout: CustomStringConvertible {
    /// `64 bytes, alignment 8`.
    public var description: String {
        "\(size) bytes, alignment \(alignment)"
    }
}
