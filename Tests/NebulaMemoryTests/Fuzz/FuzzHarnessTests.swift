import Foundation
import NebulaMemory
import Testing

@testable import AllocatorFuzzing

/// The fuzz harnesses' operation decoders and reference models, run deterministically: random
/// operation sequences from fixed seeds, then every input of the checked-in corpus (which holds
/// the inputs of every failure the fuzzers found, so each stays fixed).
@Suite struct FuzzHarnessTests {
    /// The repository's `Fuzz/Corpus/<harness>` folder.
    static func corpusFolder(_ harness: FuzzHarness) -> URL {
        URL(fileURLWithPath: repositoryRoot(of: #filePath)).appendingPathComponent("Fuzz/Corpus/\(harness.rawValue)")
    }

    /// Async and yielding between inputs: seconds of synchronous work would keep the other
    /// suites' tasks (timeouts, factories) from running on the shared threads.
    @Test(arguments: FuzzHarness.allCases)
    func randomOperationSequencesAgreeWithTheModel(_ harness: FuzzHarness) async {
        var generator = SeededGenerator(seed: 0xF022 &+ UInt64(harness.rawValue.utf8.count))
        for round in 0..<2_000 {
            await Task.yield()
            let length = Int.random(in: 1...400, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                try harness.run(bytes)
            } catch {
                Issue.record("\(harness.rawValue), round \(round), input \(bytes):\n\(error)")
                return
            }
        }
    }

    @Test(arguments: FuzzHarness.allCases)
    func everyCorpusInputAgreesWithTheModel(_ harness: FuzzHarness) async throws {
        let folder = Self.corpusFolder(harness)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty, "no seed corpus in \(folder.path)")
        for file in files {
            await Task.yield()
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            do {
                try harness.run(bytes)
            } catch {
                Issue.record("\(harness.rawValue), corpus input \(file):\n\(error)")
            }
        }
    }

    /// An allocation of 32 bytes aligned to 8, as the decoder reads it.
    static let allocate32: [UInt8] = [0, 0, 32, 0, 3]

    @Test func theDriverReportsOverlappingAllocations() {
        let arena = BrokenArena(fault: .overlap)
        var input = FuzzInput(Array([Self.allocate32, Self.allocate32, Self.allocate32].joined()))
        #expect(throws: FuzzFailure.self) { try AllocatorFuzzDriver(TrustingModel(arena)).run(&input) }
    }

    @Test func theDriverReportsOverwrittenAllocations() {
        let arena = BrokenArena(fault: .scribble)
        var input = FuzzInput(Array([Self.allocate32, Self.allocate32].joined()))
        let failure = #expect(throws: FuzzFailure.self) { try AllocatorFuzzDriver(TrustingModel(arena)).run(&input) }
        #expect(failure?.message.contains("overwritten") == true)
    }

    @Test func theDriverAcceptsACorrectAllocator() throws {
        var input = FuzzInput(Array([Self.allocate32, Self.allocate32, Self.allocate32].joined()))
        try AllocatorFuzzDriver(TrustingModel(BrokenArena(fault: nil))).run(&input)
    }
}

/// An arena with a planted fault, to show that the fuzz driver catches it.
final class BrokenArena: Allocator {
    enum Fault { case overlap, scribble }

    private let fault: Fault?
    private let memory = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
    private var cursor = 0

    init(fault: Fault?) { self.fault = fault }
    deinit { memory.deallocate() }

    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        let start = (cursor + layout.alignment - 1) / layout.alignment * layout.alignment
        // The overlap fault hands out the third allocation over the second.
        cursor = fault == .overlap && start >= 32 ? start : start + layout.size
        if fault == .scribble, start > 0 { memory.storeBytes(of: 0xFF, toByteOffset: start - 1, as: UInt8.self) }
        return memory + start
    }

    func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {}
}

/// A model that expects every operation to succeed and checks nothing of its own.
final class TrustingModel<Subject: Allocator>: AllocatorModel {
    typealias RestorePoint = Never
    let subject: Subject
    init(_ subject: Subject) { self.subject = subject }
    var targets: [AllocatorOperation.Target] { [.live] }
    var observed: AllocatorFuzzing.ObservedState { .init(used: 0, statistics: nil) }
    func predictAllocate(_ layout: Layout) -> Prediction { .succeeds }
    func didAllocate(at address: Int, _ layout: Layout) {}
    func predictDeallocate(at address: Int, _ layout: Layout) -> Prediction { .succeeds }
    func didDeallocate(at address: Int, _ layout: Layout) -> Int? { nil }
    func reset() throws(AllocError) {}
    func checkState() throws(FuzzFailure) {}
}
