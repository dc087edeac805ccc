import ArgumentParser

@main
struct NebulaMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nebula-memory",
        abstract: "Memory management for workflow engines: benchmarks and the error catalog.",
        subcommands: [BenchCommand.self, ExplainCommand.self]
    )
}
