/// Operations on raw memory that the allocators use and that callers may need for memory they
/// own: for now, zeroing that the optimizer cannot remove.
///
/// ```swift
/// let key = try arena.allocate(UInt8.self, count: 32)
/// …
/// MemoryOps.secureZero(UnsafeMutableRawBufferPointer(start: key, count: 32))
/// ```
public enum MemoryOps {}
