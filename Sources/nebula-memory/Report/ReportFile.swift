import ArgumentParser
import Foundation

/// The files `bench` and `soak` write their results to: checked before a run, written after it.
enum ReportFile {
    /// Creates (or empties) `path`, so that a path that cannot be written fails at once instead
    /// of after minutes of running.
    /// - Throws: `ExitCode.failure`, after one line on standard error naming `what` and `path`.
    static func prepare(_ path: String, for what: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            printError("error: cannot write \(what) to \(path)")
            throw ExitCode.failure
        }
    }

    /// Writes `text` as UTF-8 to `path`, replacing what is there.
    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
