import NebulaMemory

struct BumpSubject<Preset: SubjectPreset>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let arena: BumpAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Slack for alignment padding; hardened, each allocation also takes its canary.
        let canary = Preset.hardened ? 8 : 0
        arena = try BumpAllocator(
            capacity: maxLive * (maxSize + canary) + 4096,
            configuration: Preset.hardened ? .hardened : Preset.performance ? .performance : .default)
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
