/// A type that knows how to make itself ready for the next user of a pool.
///
/// ```swift
/// struct RequestBuffer: Poolable {
///     var bytes: [UInt8] = []
///     mutating func prepareForReuse() { bytes.removeAll(keepingCapacity: true) }
///     var isReusable: Bool { bytes.capacity <= 1 << 20 }   // drop buffers that grew too large
/// }
/// let pool = try ObjectPool(capacity: 64) { RequestBuffer() }
/// ```
///
/// Pools also take any other type with a reset closure instead.
public protocol Poolable {
    /// Clears what the previous user left; called when an idle object is checked out again.
    mutating func prepareForReuse()

    /// Whether the object may go back to the pool when it is returned; `false` discards it
    /// (a broken connection, an oversized buffer). Defaults to `true`.
    var isReusable: Bool { get }
}

extension Poolable {
    /// Objects are reusable unless the type says otherwise.
    public var isReusable: Bool { true }
}
