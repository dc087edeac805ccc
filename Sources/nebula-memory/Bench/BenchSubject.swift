import NebulaMemory

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One allocator under test, as the workloads drive it. Workload functions are generic over
/// this protocol and specialized per subject, so each subject's hot path is inlined into the
/// loop just as it would be in user code.
protocol BenchSubject {
    /// A subject sized for `maxLive` allocations of up to `maxSize` bytes at once.
    init(maxLive: Int, maxSize: Int) throws(AllocError)
    /// Whether releasing a batch needs every pointer (free each) rather than one reset.
    static var freesEachPointer: Bool { get }
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError)
    /// Called before a batch: the stack takes a marker here.
    mutating func beginBatch()
    /// Releases a batch: free each of `pointers[0..<count]`, reset, or pop the frame.
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
        throws(AllocError)
}

extension BenchSubject {
    mutating func beginBatch() {}
}

/// libc `malloc`/`free`, called directly: the baseline.
struct SystemSubject: BenchSubject {
    static let freesEachPointer = true

    init(maxLive: Int, maxSize: Int) {}

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
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
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) {
        Glibc.free(pointer)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        for i in 0..<count { Glibc.free(pointers[i]) }
    }
}

struct BumpSubject: BenchSubject {
    static let freesEachPointer = false
    let arena: BumpAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Slack for alignment padding.
        arena = try BumpAllocator(capacity: maxLive * maxSize + 4096)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try arena.allocate(layout)
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try arena.deallocate(pointer, layout: layout)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        arena.reset()
    }
}

/// The pool through its block API, as pool users call it: every workload layout fits a block
/// by construction (`BenchSubjectKind.make`).
struct PoolSubject: BenchSubject {
    static let freesEachPointer = true
    let pool: PoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        pool = try PoolAllocator(blockSize: maxSize, blockAlignment: 16, blockCount: maxLive)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try pool.allocateBlock()
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try pool.deallocateBlock(pointer)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
        throws(AllocError)
    {
        for i in 0..<count { try pool.deallocateBlock(pointers[i]) }
    }
}

struct StackSubject: BenchSubject {
    static let freesEachPointer = false
    let stack: StackAllocator
    var marker: StackAllocator.Marker?

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Each allocation also takes a header and up to 15 bytes of padding.
        stack = try StackAllocator(capacity: maxLive * (maxSize + StackAllocator.headerSize + 16) + 4096)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try stack.allocate(layout)
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try stack.deallocate(pointer, layout: layout)
    }

    @inline(__always)
    mutating func beginBatch() {
        marker = stack.mark()
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
        throws(AllocError)
    {
        if let marker { try stack.release(to: marker) }
    }
}
