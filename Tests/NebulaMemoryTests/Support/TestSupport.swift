import NebulaMemory
import Synchronization
import Testing

// Shared helpers for the NebulaMemory test suite.

/// Every alignment a `Layout` accepts: the powers of two from 1 to 4096.
let powerOfTwoAlignments: [Int] = (0...12).map { 1 << $0 }

/// Runs `body` and checks that it throws an `AllocError` with `code`.
///
/// Returns the thrown error (for checks on its fields), or nil when `body` did not throw one.
@discardableResult
func expectAllocError<R>(
    _ code: AllocError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) -> AllocError? {
    checkAllocError(code, Result { try body() }, sourceLocation: sourceLocation)
}

/// Records an issue unless `outcome` is an `AllocError` with `code`; shared by the synchronous
/// and the async `expect…AllocError` helpers.
func checkAllocError<R>(_ code: AllocError.Code, _ outcome: Result<R, any Error>, sourceLocation: SourceLocation)
    -> AllocError?
{
    switch outcome {
    case .success(let result):
        Issue.record("expected \(code.rawValue), but the call returned \(result)", sourceLocation: sourceLocation)
        return nil
    case .failure(let error as AllocError):
        #expect(error.code == code, "expected \(code.rawValue), got:\n\(error)", sourceLocation: sourceLocation)
        return error
    case .failure(let error):
        Issue.record(
            "expected an AllocError \(code.rawValue), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Whether `pointer` is a multiple of `alignment`.
func isAligned(_ pointer: UnsafeRawPointer, to alignment: Int) -> Bool {
    Int(bitPattern: pointer) % alignment == 0
}

/// Whether all `count` bytes at `pointer` equal `byte`.
func allBytes(_ pointer: UnsafeRawPointer, count: Int, equal byte: UInt8) -> Bool {
    (0..<count).allSatisfy { pointer.load(fromByteOffset: $0, as: UInt8.self) == byte }
}

/// The pattern byte of the `index`-th region: distinct for 256 consecutive indices.
func patternByte(_ index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: index &* 7 &+ 1)
}

/// A block of memory filled with one byte, to detect overlapping allocations.
struct FilledRegion {
    let pointer: UnsafeMutableRawPointer
    let size: Int
    let byte: UInt8

    /// Fills `size` bytes at `pointer` with `byte`.
    init(filling pointer: UnsafeMutableRawPointer, size: Int, byte: UInt8) {
        pointer.initializeMemory(as: UInt8.self, repeating: byte, count: size)
        self.pointer = pointer
        self.size = size
        self.byte = byte
    }
}

/// Checks that every region still holds its pattern and that no two regions overlap.
func expectIntactAndDisjoint(_ regions: [FilledRegion], sourceLocation: SourceLocation = #_sourceLocation) {
    for (index, region) in regions.enumerated() {
        #expect(
            allBytes(region.pointer, count: region.size, equal: region.byte),
            "region \(index) (\(region.size) bytes at \(region.pointer)) was overwritten",
            sourceLocation: sourceLocation)
    }
    let sorted = regions.filter { $0.size > 0 }.sorted { $0.pointer < $1.pointer }
    for (lower, upper) in zip(sorted, sorted.dropFirst()) {
        #expect(
            lower.pointer + lower.size <= upper.pointer,
            "\(lower.size) bytes at \(lower.pointer) overlap the region at \(upper.pointer)",
            sourceLocation: sourceLocation)
    }
}

/// SplitMix64: a small deterministic generator, so that "random" workloads are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The order in which tracked objects were deinitialized.
final class DeinitLog {
    private(set) var entries: [Int] = []

    func record(_ id: Int) {
        entries.append(id)
    }
}

/// A class instance that records its deinitialization in a `DeinitLog`.
final class DeinitCounter {
    let id: Int
    let log: DeinitLog

    init(_ id: Int, log: DeinitLog) {
        self.id = id
        self.log = log
    }

    deinit {
        log.record(id)
    }
}

/// A non-trivial struct holding a String and a tracked object.
struct NamedValue {
    var name: String
    var tracker: DeinitCounter
}

/// A non-trivial struct holding an array of tracked objects.
struct TrackedArray {
    var items: [DeinitCounter]
}

/// A trivial type whose size (9) is smaller than its stride (16).
struct PaddedPOD: Equatable {
    var value: Int64
    var flag: Bool
}

/// A non-trivial type whose size (9) is smaller than its stride (16).
struct PaddedObject {
    var tracker: DeinitCounter
    var flag: Bool
}

/// A type with a 16-byte alignment.
struct Aligned16: Equatable {
    var vector: SIMD4<Float>
}

/// A custom error for checking that scopes and frames rethrow the body's error type.
struct BodyError: Error, Equatable {
    let value: Int
}

/// AddressSanitizer reads its default options from this function when the suite is built with
/// `--sanitize=address`: with `allocator_may_return_null=1` its `malloc` returns NULL for an
/// impossible size, as glibc does, instead of aborting the process, so the out-of-memory tests
/// run under the sanitizer too. Without the sanitizer nothing calls it.
@_cdecl("__asan_default_options")
public func asanDefaultOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(("allocator_may_return_null=1" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Runs `body` and checks that it reports heap corruption (`ALLOC_INVALID_STATE`, "heap
/// corruption detected") for the allocation at `offset` of `size` bytes.
@discardableResult
func expectHeapCorruption<R>(
    offset: Int, size: Int, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
) -> AllocError? {
    let error = expectAllocError(.invalidState, sourceLocation: sourceLocation, body)
    if let error {
        #expect(error.message.contains("heap corruption detected"), "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains("offset \(offset) "), "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains("size \(size) bytes"), "\(error)", sourceLocation: sourceLocation)
        #expect(error.severity == .critical, sourceLocation: sourceLocation)
    }
    return error
}

/// Overwrites the byte at `pointer + offset` with its complement and returns a closure that
/// puts the original back: a one-byte overrun that a test can undo.
func corruptByte(_ pointer: UnsafeMutableRawPointer, at offset: Int) -> () -> Void {
    let original = pointer.load(fromByteOffset: offset, as: UInt8.self)
    pointer.storeBytes(of: ~original, toByteOffset: offset, as: UInt8.self)
    return { pointer.storeBytes(of: original, toByteOffset: offset, as: UInt8.self) }
}

/// Budgets the tests keep for the whole run: a `Reservation` does not keep its budget alive, and
/// an optimized build may end a local's lifetime at its last use, before the reservations that
/// outlive it there are released. `Locked`, not `Mutex`, so that ThreadSanitizer sees the
/// ordering between tests that keep budgets at once.
private let keptBudgets = Locked<[MemoryBudget]>([])

/// `budget`, kept alive until the test process ends.
func kept(_ budget: MemoryBudget) -> MemoryBudget {
    keptBudgets.withLock { $0.append(budget) }
    return budget
}

/// Releases what a stress worker still holds in `held`, after `untally` took its bytes off the
/// worker's own count.
func release(_ held: inout Reservation?, untally: (Int) -> Void) {
    guard let reservation = held.take() else { return }
    untally(reservation.bytes)
    reservation.release()
}

/// The repository root of a file under its `Tests/` folder (`#filePath` of a test): the path
/// before the last `Tests` component, so a test finds checked-in files wherever it lives.
func repositoryRoot(of filePath: String) -> String {
    var components = filePath.split(separator: "/", omittingEmptySubsequences: false)
    if let tests = components.lastIndex(of: "Tests") { components.removeSubrange(tests...) }
    return components.joined(separator: "/")
}
