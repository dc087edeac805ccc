import ArgumentParser
import Foundation
import NebulaMemory

/// `nebula-memory stats`: runs a demo engine and prints its memory registry.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Run a demo engine (executions in memory contexts on 2 threads) and print its memory registry.",
        discussion: """
            The registry holds the engine and workflow budgets, a shared scratch arena, a block \
            pool and an object pool of nodes. --format prometheus prints what a /metrics \
            endpoint would serve.
            """
    )

    /// What the demo engine runs between prints.
    enum Workload: String, ExpressibleByArgument, CaseIterable {
        /// W12's executions: a memory context each, node-sized allocations, a buffer, a node.
        case w12 = "W12"
        /// W5's mixed sizes (8…1024 B) through the block pool, every tenth also from the arena.
        case w5 = "W5"
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case prometheus
    }

    @Option(name: .long, help: "Output format: text, json or prometheus.")
    var format: Format = .text

    @Option(name: .long, help: "Executions per thread before each print.")
    var executions = 1000

    @Option(name: .long, help: "The demo's work: W12 (executions in memory contexts) or W5 (mixed sizes).")
    var workload: Workload = .w12

    @Flag(name: .long, help: "Keep running: reprint the registry every --interval seconds, --rounds times.")
    var watch = false

    @Option(name: .long, help: "Seconds between prints with --watch.")
    var interval: Double = 1

    @Option(name: .long, help: "Prints with --watch.")
    var rounds = 10

    func validate() throws {
        guard executions >= 1, executions <= 1_000_000 else {
            throw ValidationError("--executions must be between 1 and 1000000")
        }
        guard interval.isFinite, interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds")
        }
        guard rounds >= 1, rounds <= 1_000_000 else { throw ValidationError("--rounds must be between 1 and 1000000") }
    }

    func run() async throws {
        let demo = try StatsDemo()
        let total = watch ? rounds : 1
        for round in 1...total {
            switch workload {
            case .w12: try demo.run(executions: executions)
            case .w5: try demo.runMixed(executions: executions)
            }
            let snapshot = demo.registry.snapshot()
            let text: String
            switch format {
            case .text: text = SnapshotTable(snapshot).text
            case .json: text = snapshot.jsonText()
            case .prometheus: text = snapshot.prometheusText()
            }
            if watch, format == .text, isatty(1) != 0 {
                // Redraw in place: cursor home, clear the screen.
                printFlushed(
                    "\u{1B}[H\u{1B}[2J" + text
                        + "\nround \(round) of \(total), \(executions) \(workload.rawValue) executions per thread each")
            } else {
                printFlushed(text)
            }
            if round < total { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
        }
    }
}
