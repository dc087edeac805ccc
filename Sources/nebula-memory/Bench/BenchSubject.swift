import NebulaMemory

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

/// A subject that several threads use at once (W6): thread-safe, so shared by value.
protocol SharedBenchSubject: Sendable {
    /// A subject sized for `maxLive` allocations (all threads together) of up to `maxSize` bytes.
    init(maxLive: Int, maxSize: Int) throws(AllocError)
    /// Whether each thread frees its own allocations at the end, rather than one release after.
    static var threadsFreeEachPointer: Bool { get }
    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer
    func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError)
    /// Releases everything after the threads are done (the arena's reset).
    func releaseAll() throws(AllocError)
}
