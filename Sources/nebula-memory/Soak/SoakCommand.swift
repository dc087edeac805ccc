import ArgumentParser
import Dispatch
import Foundation
import NebulaMemory
import Synchronization

/// `nebula-memory soak`: runs simulated workflow executions on two threads for a while and
/// checks that the resident set stays flat and that everything is given back at the end.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run simulated workflow executions and check that resident memory stays flat.",
        discussion: """
            Two threads run executions (a memory context per execution, pooled nodes, pool, stack and \
            bump allocators, budget reservations) while the resident set is sampled. After the warm-up, \
            every sample must stay within 5 % of the largest warm-up sample; at the end every budget \
            must be back to 0 and no pool may report a leak. Exits 1 otherwise.
            """
    )

    @Option(name: .long, help: "How long to run, in seconds.")
    var seconds: Double = 60

    @Option(name: .long, help: "Seconds between samples of the resident set.")
    var interval: Double = 1

    @Option(name: .long, help: "Seconds of warm-up whose largest sample is the baseline (default: 20 % of the run).")
    var warmup: Double?

    @Option(name: .long, help: "Seed of the generator that varies the sizes.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Write the report as JSON instead of text.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp("Also write the report as an HTML page with charts to this file.", valueName: "file"))
    var html: String?

    static let threads = 2

    var warmupSeconds: Double { warmup ?? seconds / 5 }

    func validate() throws {
        guard seconds.isFinite, seconds > 0 else { throw ValidationError("--seconds must be more than 0") }
        guard interval.isFinite, interval > 0 else { throw ValidationError("--interval must be more than 0") }
        guard warmupSeconds.isFinite, warmupSeconds >= 0, warmupSeconds < seconds else {
            throw ValidationError("--warmup must be at least 0 and less than --seconds")
        }
    }

    func run() async throws {
        // Fails before the run, not after it.
        if let html { try ReportFile.prepare(html, for: "the HTML page") }
        let shared = try SoakEngine()
        let problems = Mutex<[String]>([])
        let group = DispatchGroup()
        for thread in 0..<Self.threads {
            let seed = self.seed &+ UInt64(thread)
            // Threads of their own: on the global queues they would take the threads that
            // the sampling task needs to wake up on.
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                do {
                    let leftovers = try SoakWorker(shared: shared, seed: seed).run()
                    problems.withLock { $0 += leftovers }
                } catch {
                    shared.stopping.store(true, ordering: .relaxed)
                    problems.withLock { $0.append("thread \(thread) failed: \(error)") }
                }
            }
            worker.start()
        }

        let (samples, warmupHoldings) = try await sample(shared)
        shared.stopping.store(true, ordering: .relaxed)
        await withCheckedContinuation { done in group.notify(queue: .global()) { done.resume() } }

        let leftovers = problems.withLock { $0 } + shared.leftovers()
        let verdict = SoakVerdict(samples: samples, warmup: warmupSeconds)
        let report = SoakReport(
            samples: samples, verdict: verdict, leftovers: leftovers, seconds: seconds, warmup: warmupSeconds,
            threads: Self.threads, seed: seed, holdings: (warmupHoldings, shared.holdings()))
        print(json ? try report.jsonLine() : report.summary)
        if let html { try ReportFile.write(SoakHTML(report: report).page, to: html) }
        if !report.passed { throw ExitCode(1) }
    }

    /// Samples the resident set every `interval` seconds, and once more at the end of the run;
    /// also returns what the shared allocators held at the last sample of the warm-up.
    private func sample(_ shared: SoakEngine) async throws -> ([SoakVerdict.Sample], [String: Int]) {
        let clock = ContinuousClock()
        let start = clock.now
        var samples: [SoakVerdict.Sample] = []
        var warmupHoldings: [String: Int] = [:]
        var tick = 1
        while true {
            let elapsed = min(Double(tick) * interval, seconds)
            try await clock.sleep(until: start + .seconds(elapsed))
            guard let resident = ResidentMemory.bytes() else {
                printError("error: cannot read /proc/self/statm; the soak needs Linux's /proc")
                throw ExitCode.failure
            }
            let sample = SoakVerdict.Sample(
                elapsed: elapsed, executions: shared.executions.load(ordering: .relaxed), residentBytes: resident)
            samples.append(sample)
            if elapsed <= warmupSeconds || warmupHoldings.isEmpty { warmupHoldings = shared.holdings() }
            if !json { printFlushed(SoakReport.line(sample)) }
            if shared.stopping.load(ordering: .relaxed) || elapsed >= seconds { return (samples, warmupHoldings) }
            tick += 1
        }
    }
}
