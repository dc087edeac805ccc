import ArgumentParser
import NebulaMemory

/// `nebula-memory profile`: runs a demo engine with the allocation profiler on and prints
/// its top sites, or folded stacks for a flame graph.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Run a demo engine with the allocation profiler on and print its top allocation sites.",
        discussion: """
            Typed allocations are sampled 1 in --sample-interval bytes on average (a Poisson \
            process, as jemalloc samples), and each sample is weighed to estimate the totals. \
            --folded prints `nebula-memory;allocator;file:line bytes` lines for flamegraph.pl, \
            inferno or speedscope.
            """
    )

    @Option(name: .long, help: "Mean bytes between samples.")
    var sampleInterval = 64 * 1024

    @Option(name: .long, help: "Allocations the demo engine makes.")
    var allocations = 200_000

    @Option(name: .long, help: "Seed of the demo and of the sampling.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Print folded stacks weighed by total bytes instead of the tables.")
    var folded = false

    @Option(name: .long, help: "Sites per table.")
    var top = 10

    func validate() throws {
        guard allocations >= 1, allocations <= 100_000_000 else {
            throw ValidationError("--allocations must be between 1 and 100000000")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        do {
            try AllocationProfiler.start(sampleInterval: sampleInterval, seed: seed)
        } catch {
            throw ValidationError("--sample-interval: \(error.message)")
        }
        defer { AllocationProfiler.stop() }
        let profile = try ProfileDemo(allocations: allocations, seed: seed).run()
        if folded {
            print(profile.foldedStacks(), terminator: "")
        } else {
            print(profile.text(top: top), terminator: "")
        }
    }
}
