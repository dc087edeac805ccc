import ArgumentParser

@main
struct NebulaMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nebula-memory")
}
