import Foundation

/// Renders results as the tables and the JSON document BENCHMARKS.md specifies.
enum BenchReport {
    /// The table of one workload: a row per subject that ran it, the subject column as wide as
    /// the longest name, each median with its min–max spread; a spread over
    /// ``BenchCommand/noisySpread`` of the median is marked `noisy`.
    static func table(_ definition: WorkloadDefinition, _ results: [BenchResult]) -> String {
        var lines = ["\(definition.id) \(definition.name) — \(definition.summary) (\(definition.unit))"]
        if let unavailable = definition.unavailable {
            lines.append("  \(unavailable)")
            return lines.joined(separator: "\n") + "\n"
        }
        let ran = results.filter { !$0.samples.isEmpty }
        let system = ran.first { $0.subject == definition.baseline.rawValue }?.median
        let reference = ran.first { $0.subject == BenchSubjectKind.cReference.rawValue }?.median
        let width = ran.map(\.subject.count).reduce("subject".count, Swift.max) + 2
        let columns = Columns(subject: width)
        lines.append(columns.row("subject", "median", "min–max", "vs \(definition.baseline.rawValue)", "vs c-ref", ""))
        for result in ran {
            // Speed-up over the system allocator; time relative to the C floor.
            let speedup = definition.hasRatios ? ratio(system, result.median) : "—"
            let floor = definition.hasRatios ? ratio(result.median, reference) : "—"
            let noisy = result.median > 0 && (result.max - result.min) / result.median > BenchCommand.noisySpread
            lines.append(
                columns.row(
                    result.subject, format(result.median), "\(format(result.min))–\(format(result.max))", speedup,
                    floor,
                    noisy ? "noisy" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0, numerator > 0 else { return "—" }
        return format(numerator / denominator) + "×"
    }

    /// Column widths of a table.
    private struct Columns {
        let subject: Int

        func row(
            _ subject: String, _ median: String, _ range: String, _ speedup: String, _ floor: String, _ mark: String
        ) -> String {
            let cells =
                subject.padding(to: self.subject) + pad(median, 10) + pad(range, 22) + pad(speedup, 14)
                + pad(floor, 11)
            return mark.isEmpty ? cells : cells + "  " + mark
        }

        private func pad(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: Swift.max(1, width - text.count)) + text
        }
    }

    static func format(_ value: Double) -> String {
        switch value {
        case 100...: String(format: "%.0f", value)
        case ..<0: String(format: "%.2f", value)
        case 10..<100: String(format: "%.1f", value)
        default: String(format: "%.2f", value)
        }
    }

    struct Document: Encodable {
        struct Host: Encodable {
            let cpu: String
            let cores: Int
        }
        struct Result: Encodable {
            let workload: String
            let subject: String
            let unit: String
            let median: Double
            let min: Double
            let max: Double
            let rounds: Int
        }
        let version = 1
        let quick: Bool
        let build: String
        let host: Host
        let results: [Result]
        /// Workloads listed but not measured: their subjects do not exist yet.
        let unavailable: [String]
    }

    static func json(_ results: [BenchResult], unavailable: [String], quick: Bool, rounds: Int) throws -> Data {
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let document = Document(
            quick: quick, build: build,
            host: .init(cpu: cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount),
            results: results.map {
                .init(
                    workload: $0.workload, subject: $0.subject, unit: $0.unit, median: $0.median, min: $0.min,
                    max: $0.max, rounds: rounds)
            }, unavailable: unavailable)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(document)
    }

    private static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map {
            $0.trimmingCharacters(in: .whitespaces)
        } ?? "unknown"
    }
}
