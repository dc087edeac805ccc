import Synchronization

/// An allocator's counters in memory of their own: the successful requests by size class,
/// then the failed ones by error code. The allocator counts into them from its hot and error
/// paths, and any thread may read them, so the counts can be folded while the owner goes on.
///
/// A thread-safe allocator keeps one row per thread (each written by its thread alone) and
/// one shared row, and adds them up when read.
@usableFromInline
struct _AllocatorCounters {
    @usableFromInline let cells: UnsafeMutablePointer<Atomic<Int>>

    @inlinable static var failureBase: Int { 32 }
    static var cellCount: Int { SizeClassHistogram.classCount + AllocError.Code._count }

    /// The row at `cells`, from ``cells`` of another instance.
    @inlinable
    init(cells: UnsafeMutablePointer<Atomic<Int>>) {
        self.cells = cells
    }

    /// A row at zero, on cache lines of its own: rows of different threads never share one.
    @usableFromInline
    init() {
        precondition(AllocError.Code.allCases.count == AllocError.Code._count, "a failure counter per code")
        cells = UnsafeMutableRawPointer.allocate(byteCount: Self.cellCount * 8, alignment: 64)
            .bindMemory(to: Atomic<Int>.self, capacity: Self.cellCount)
        for index in 0..<Self.cellCount { (cells + index).initialize(to: Atomic(0)) }
    }

    /// Counts a successful request of `size` bytes, when only the calling thread ever writes
    /// this row's sizes: a plain load and store.
    @inlinable
    @inline(__always)
    func recordSize(_ size: Int) {
        cells[_sizeClass(size)].ownerIncrement()
    }

    /// Counts a successful request of `size` bytes from any thread.
    @usableFromInline
    func recordSizeShared(_ size: Int) {
        cells[_sizeClass(size)].add(1, ordering: .relaxed)
    }

    /// Counts a failure with `error`'s code, from any thread, and returns the error.
    @usableFromInline
    func recordFailure(_ error: AllocError) -> AllocError {
        cells[Self.failureBase &+ error.code._ordinal].add(1, ordering: .relaxed)
        return error
    }

    private func load(_ index: Int) -> Int {
        cells[index].load(ordering: .relaxed)
    }

    /// The successful requests counted.
    var allocations: Int {
        (0..<SizeClassHistogram.classCount).reduce(0) { $0 + load($1) }
    }

    /// Adds this row's counts to `statistics`: sizes, allocations, failures.
    func add(to statistics: inout AllocatorStatistics) {
        for sizeClass in 0..<SizeClassHistogram.classCount {
            let count = load(sizeClass)
            statistics.sizeClasses.add(count, toClass: sizeClass)
            statistics.allocations += count
        }
        for code in AllocError.Code.allCases {
            let count = load(Self.failureBase + code._ordinal)
            guard count != 0 else { continue }
            statistics.failures[code, default: 0] += count
            statistics.failedAllocations += count
        }
    }

    /// Frees the row; nothing may count into it afterwards.
    @usableFromInline
    func deallocate() {
        cells.deinitialize(count: Self.cellCount)
        UnsafeMutableRawPointer(cells).deallocate()
    }
}

extension AllocatorStatistics {
    /// Statistics folded from the rows of an allocator's counters, with what the allocator
    /// reads elsewhere.
    init(
        counters row: _AllocatorCounters?, deallocations: Int, bytesInUse: Int, peakBytesInUse: Int, resets: Int
    ) {
        self.init(deallocations: deallocations, bytesInUse: bytesInUse, peakBytesInUse: peakBytesInUse, resets: resets)
        row?.add(to: &self)
    }
}
