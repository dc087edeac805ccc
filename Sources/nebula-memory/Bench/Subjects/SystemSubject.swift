import NebulaMemory

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// libc `malloc`/`free`, called directly: the baseline.
struct SystemSubject: BenchSubject, SharedBenchSubject {
    static var freesEachPointer: Bool { true }
    static var threadsFreeEachPointer: Bool { true }

    init(maxLive: Int, maxSize: Int) {}

    @inline(__always)
    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        if layout.alignment <= 16, let pointer = malloc(layout.size) { return pointer }
        return try Self.allocateAligned(layout)
    }

    /// `posix_memalign` and the failure, out of line: its address-taken result variable kept
    /// the whole method from being inlined into the workload loops, putting an indirect
    /// call on the baseline's path that the subjects did not pay.
    @inline(never)
    static func allocateAligned(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        var pointer: UnsafeMutableRawPointer?
        if layout.alignment > 16, posix_memalign(&pointer, layout.alignment, layout.size) == 0, let pointer {
            return pointer
        }
        throw AllocError(.outOfMemory, "malloc returned NULL", layout: layout)
    }

    @inline(__always)
    func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) {
        Glibc.free(pointer)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        for i in 0..<count { Glibc.free(pointers[i]) }
    }

    func releaseAll() {}
}
