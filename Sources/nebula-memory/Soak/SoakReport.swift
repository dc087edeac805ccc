import Foundation

/// What `nebula-memory soak` found: the samples, the verdict on them and the end-of-run checks,
/// as text or JSON.
struct SoakReport: Encodable {
    let seconds: Double
    let warmup: Double
    let threads: Int
    let seed: UInt64
    let executions: Int
    let executionsPerSecond: Double
    let baselineBytes: Int
    let maxAfterWarmupBytes: Int?
    let ceilingBytes: Int
    let ratio: Double?
    let flat: Bool
    /// The first sample after the warm-up over the ceiling, if any.
    let firstOverLimit: SoakVerdict.Sample?
    /// What was still held at the end (budgets, pools, allocators) and threads that failed;
    /// empty when all went well.
    let leftovers: [String]
    /// What the shared allocators held at the end of the warm-up, and at the end of the run.
    let holdingsAtWarmup: [String: Int]
    let holdingsAtEnd: [String: Int]
    let samples: [SoakVerdict.Sample]
    /// The run passed: the resident set stayed flat and everything was given back.
    let passed: Bool

    init(
        samples: [SoakVerdict.Sample], verdict: SoakVerdict, leftovers: [String], seconds: Double, warmup: Double,
        threads: Int, seed: UInt64, holdings: (warmup: [String: Int], end: [String: Int]) = ([:], [:])
    ) {
        self.seconds = seconds
        self.warmup = warmup
        self.threads = threads
        self.seed = seed
        executions = samples.last?.executions ?? 0
        // Over the time sampled: a run whose thread failed stops early.
        let elapsed = samples.last?.elapsed ?? 0
        executionsPerSecond = elapsed > 0 ? Double(executions) / elapsed : 0
        baselineBytes = verdict.baseline
        maxAfterWarmupBytes = verdict.maxAfterWarmup
        ceilingBytes = verdict.ceiling
        ratio = verdict.ratio
        flat = verdict.isFlat
        firstOverLimit = verdict.overLimit.first
        self.leftovers = leftovers
        holdingsAtWarmup = holdings.warmup
        holdingsAtEnd = holdings.end
        self.samples = samples
        passed = verdict.isFlat && leftovers.isEmpty
    }

    /// The report as one line of JSON, keys sorted.
    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// One line per sample, as the run goes.
    static func line(_ sample: SoakVerdict.Sample) -> String {
        String(format: "%7.1f s  ", sample.elapsed) + "executions \(sample.executions)".padding(to: 22)
            + "resident \(bytes(sample.residentBytes))"
    }

    /// The summary after the run; says what grew, and by how much, when the run failed.
    var summary: String {
        var lines = [
            "soak: \(String(format: "%.1f", seconds)) s on \(threads) threads, seed \(seed), "
                + "\(executions) executions (\(String(format: "%.0f", executionsPerSecond))/s)",
            "resident set: baseline \(Self.bytes(baselineBytes)) (largest sample of the "
                + "\(String(format: "%.1f", warmup)) s warm-up), limit \(Self.bytes(ceilingBytes)) (+5 %)",
        ]
        if let maxAfterWarmupBytes, let ratio {
            lines.append(
                "  after warm-up: max \(Self.bytes(maxAfterWarmupBytes)), "
                    + String(format: "%.4f", ratio) + " × baseline")
        } else {
            lines.append("  after warm-up: no samples")
        }
        if let first = firstOverLimit, let maxAfterWarmupBytes {
            let growth = maxAfterWarmupBytes - baselineBytes
            lines.append(
                "  GREW: the resident set passed the limit at \(String(format: "%.1f", first.elapsed)) s "
                    + "(\(Self.bytes(first.residentBytes))) and reached \(Self.bytes(maxAfterWarmupBytes)), "
                    + "\(Self.bytes(growth)) (" + String(format: "%.1f", 100 * Double(growth) / Double(baselineBytes))
                    + " %) over the baseline")
        }
        if !holdingsAtEnd.isEmpty {
            let changes = holdingsAtEnd.keys.sorted().map { key in
                "\(key) \(holdingsAtWarmup[key].map(String.init) ?? "?") → \(holdingsAtEnd[key] ?? 0)"
            }
            lines.append("held by the shared allocators (warm-up → end): " + changes.joined(separator: ", "))
        }
        if leftovers.isEmpty {
            lines.append("budgets back to 0 used, pools report no leaks, allocators empty")
        } else {
            lines.append("FAILED CHECKS (not given back, or a thread failed):")
            lines += leftovers.map { "  - \($0)" }
        }
        lines.append("verdict: " + (passed ? "pass" : "FAIL"))
        return lines.joined(separator: "\n")
    }

    /// `value` in MiB with the exact byte count.
    static func bytes(_ value: Int) -> String {
        String(format: "%.1f MiB", Double(value) / Double(1 << 20)) + " (\(value) B)"
    }
}
