import ArgumentParser
import NebulaMemory

/// `nebula-memory explain CODE`: prints an entry of the error catalog.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error code (e.g. ALLOC_POOL_EXHAUSTED), or list the catalog with --all."
    )

    @Argument(help: "An error code such as ALLOC_DOUBLE_FREE; case and the ALLOC_ prefix are optional.")
    var code: String?

    @Flag(name: .long, help: "List every code with its title.")
    var all = false

    func validate() throws {
        if code == nil, !all {
            throw ValidationError("name a code, or pass --all")
        }
    }

    func run() throws {
        if all {
            for code in AllocError.Code.allCases {
                print("\(code.rawValue.padding(to: 30))\(code.entry.title)")
            }
            return
        }
        guard let text = code else { return }
        guard let code = AllocError.Code(lenient: text) else {
            let suggestions = AllocError.Code.closest(to: text).map(\.rawValue).joined(separator: ", ")
            printError("error: unknown error code '\(text)'. Did you mean: \(suggestions)?")
            printError("run 'nebula-memory explain --all' for the whole catalog")
            throw ExitCode(2)
        }
        print(Self.render(code.entry))
    }

    static func render(_ entry: AllocError.CatalogEntry) -> String {
        var lines = [
            "\(entry.code.rawValue): \(entry.title)",
            "severity: \(entry.severity.rawValue)",
            "",
            entry.explanation,
            "",
            "Common causes:",
        ]
        lines += entry.commonCauses.map { "  - \($0)" }
        lines += ["", "Fix: \(entry.fix)"]
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
