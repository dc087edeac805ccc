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
        let rows = BenchRow.rows(definition, results)
        let width = rows.map(\.subject.count).reduce("subject".count, Swift.max) + 2
        let columns = Columns(subject: width)
        lines.append(columns.row("subject", "median", "min–max", "vs \(definition.baseline.rawValue)", "vs c-ref", ""))
        for row in rows {
            lines.append(
                columns.row(
                    row.subject, format(row.median), "\(format(row.min))–\(format(row.max))", row.speedup, row.floor,
                    row.isNoisy ? "noisy" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
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

    /// The kind of build these timings come from: `release`, or `debug` (whose timings say nothing).
    static var build: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// The CPU's model name from `/proc/cpuinfo`, or `unknown`.
    static func cpuModel() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map {
            $0.trimmingCharacters(in: .whitespaces)
        } ?? "unknown"
    }
}
