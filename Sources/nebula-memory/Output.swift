import Foundation

/// Writes a line to standard error, where diagnostics and progress belong.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes a line to standard output at once, even when it is a pipe (for `--watch`).
func printFlushed(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Whether standard error is a terminal (progress lines are shown only then).
var standardErrorIsTerminal: Bool {
    isatty(2) != 0
}
