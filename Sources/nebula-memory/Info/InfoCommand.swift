import ArgumentParser
import Foundation
import NebulaMemory
import Synchronization

/// `nebula-memory info`: the system memory snapshot, cgroup limits, PSI and pressure level.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show system memory, cgroup limits, memory pressure (PSI) and the pressure level."
    )

    @Flag(name: .long, help: "Write JSON (with --watch, one object per line).")
    var json = false

    @Flag(name: .long, help: "Keep sampling; print one line per pressure level change. Ctrl-C stops.")
    var watch = false

    @Option(name: .long, help: "Seconds between samples with --watch.")
    var interval: Double = 1

    @Option(name: .long, help: "Read /proc and /sys under this directory (e.g. a host's, mounted).")
    var root = "/"

    func validate() throws {
        guard interval.isFinite, interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds")
        }
    }

    func run() async throws {
        let thresholds = MemoryPressure.Thresholds()
        let root = self.root
        guard watch else {
            let memory = SystemMemory.read(root: root)
            let report = InfoReport(memory, level: thresholds.level(of: memory))
            print(json ? try report.jsonLine() : report.text)
            return
        }
        // The line shows the sample the level was judged on, not a second read of /proc.
        let latest = Mutex(SystemMemory())
        let monitor = try MemoryMonitor(
            interval: .milliseconds(Int(interval * 1000)), thresholds: thresholds,
            source: {
                let memory = SystemMemory.read(root: root)
                latest.withLock { $0 = memory }
                return memory
            })
        for await level in monitor.levels() {
            let report = InfoReport(latest.withLock { $0 }, level: level)
            printFlushed(json ? try report.jsonLine() : report.watchLine)
        }
    }
}
