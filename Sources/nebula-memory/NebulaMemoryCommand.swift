import ArgumentParser

@main
struct NebulaMemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nebula-memory",
        abstract: "Memory management for workflow engines: benchmarks, system memory and the error catalog.",
        subcommands: [
            BenchCommand.self, InfoCommand.self, StatsCommand.self, ProfileCommand.self, ExplainCommand.self,
            SoakCommand.self,
        ]
    )
}
