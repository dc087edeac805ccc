import NebulaMemory

struct StackSubject<Preset: SubjectPreset>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let stack: StackAllocator
    var marker: StackAllocator.Marker?

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Each allocation also takes a header and up to 15 bytes of padding.
        stack = try StackAllocator(
            capacity: maxLive * (maxSize + StackAllocator.headerSize + 16) + 4096,
            configuration: Preset.performance ? .performance : .default)
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
