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

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case prometheus
    }

    @Option(name: .long, help: "Output format: text, json or prometheus.")
    var format: Format = .text

    @Option(name: .long, help: "Executions per thread before each print.")
    var executions = 1000

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
            try demo.run(executions: executions)
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
                        + "\nround \(round) of \(total), \(executions) executions per thread each")
            } else {
                printFlushed(text)
            }
            if round < total { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
        }
    }
}
