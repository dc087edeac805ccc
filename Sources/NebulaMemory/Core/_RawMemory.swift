#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place the library calls the C allocator, so that every other file stays portable.
@usableFromInline
enum _RawMemory {
    /// The alignment `malloc` and `realloc` guarantee.
    @usableFromInline static var mallocAlignment: Int { 16 }

    /// `malloc` for alignments up to 16 (what it guarantees), `posix_memalign` beyond.
    /// Returns nil when the C allocator does; a zero size is served as one byte so that the
    /// result is unique.
    @usableFromInline
    static func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        let size = max(byteCount, 1)
        if alignment <= mallocAlignment {
            return malloc(size)
        }
        var result: UnsafeMutableRawPointer?
        guard posix_memalign(&result, alignment, size) == 0 else { return nil }
        return result
    }

    /// `realloc`, for memory from `malloc`; nil, with `pointer` untouched, when the C
    /// allocator has no memory. A zero size is served as one byte, as in `allocate`.
    @usableFromInline
    static func reallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) -> UnsafeMutableRawPointer? {
        realloc(pointer, max(byteCount, 1))
    }

    @usableFromInline
    static func free(_ pointer: UnsafeMutableRawPointer?) {
        #if canImport(Glibc)
        Glibc.free(pointer)
        #elseif canImport(Musl)
        Musl.free(pointer)
        #elseif canImport(Darwin)
        Darwin.free(pointer)
        #endif
    }

    /// Moves the first `count` values of `old` into a new buffer of `capacity` values and frees
    /// `old`; nil, with `old` untouched, when the C allocator has no memory. The growth step of
    /// the small side buffers (restore points, canary logs) that must not trap.
    @usableFromInline
    static func regrow<Element>(_ old: UnsafeMutablePointer<Element>?, count: Int, capacity: Int)
        -> UnsafeMutablePointer<Element>?
    {
        guard
            let raw = allocate(
                byteCount: capacity * MemoryLayout<Element>.stride, alignment: MemoryLayout<Element>.alignment)
        else { return nil }
        let grown = raw.bindMemory(to: Element.self, capacity: capacity)
        if let old {
            grown.moveInitialize(from: old, count: count)
            free(old)
        }
        return grown
    }

    /// Fills `count` bytes at `pointer` with `byte` (debug patterns).
    @usableFromInline
    @inline(never)
    static func fill(_ pointer: UnsafeMutableRawPointer, byte: UInt8, count: Int) {
        guard count > 0 else { return }
        memset(pointer, Int32(byte), count)
    }
}

/// Rounds `value` up to `alignment`, a power of two. Callers guarantee no overflow.
@inlinable
@inline(__always)
func _alignUp(_ value: Int, _ alignment: Int) -> Int {
    (value &+ alignment &- 1) & ~(alignment &- 1)
}
