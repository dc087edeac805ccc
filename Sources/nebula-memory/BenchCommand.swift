import ArgumentParser
import Foundation
import NebulaMemory
import Synchronization

/// Where workload checksums go, so the optimizer cannot drop the work that produced them.
private let checksumSink = Atomic<Int>(0)

/// `nebula-memory bench`: the workloads of BENCHMARKS.md, every subject side by side.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark NebulaMemory's allocators against the system allocator, side by side."
    )

    @Flag(name: .long, help: "One round with a tenth of the operations (under a minute).")
    var quick = false

    @Option(name: .long, help: "Comma-separated workload ids to run, e.g. W1,W3.")
    var filter: String?

    @Option(name: .long, help: "Also write the results as JSON to this file ('-' for standard output).")
    var json: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Also write the results as an HTML page of bar charts to this file.", valueName: "file"))
    var html: String?

    @Option(name: .long, help: "Timed rounds per subject after the warm-up (default 5; 1 with --quick).")
    var rounds: Int?

    /// A round whose spread (max − min) exceeds this fraction of its median is marked noisy.
    static let noisySpread = 0.2

    var roundCount: Int { rounds ?? (quick ? 1 : 5) }

    func validate() throws {
        if let rounds, !(1...1000).contains(rounds) {
            throw ValidationError("--rounds must be between 1 and 1000, not \(rounds)")
        }
        let known = Set(WorkloadDefinition.all.map { $0.id.uppercased() })
        for id in requestedIDs where !known.contains(id) {
            throw ValidationError(
                "unknown workload '\(id)'; known: \(WorkloadDefinition.all.map(\.id).joined(separator: ", "))")
        }
    }

    private var requestedIDs: [String] {
        filter?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } ?? []
    }

    func run() throws {
        #if DEBUG
        printError(
            "warning: this is a debug build; its timings say nothing. Use: swift run -c release nebula-memory bench")
        #endif
        // Fails before anything runs, not after minutes of measuring.
        if let json, json != "-" { try ReportFile.prepare(json, for: "the JSON results") }
        if let html { try ReportFile.prepare(html, for: "the HTML page") }
        let wanted = requestedIDs
        let workloads = WorkloadDefinition.all.filter { wanted.isEmpty || wanted.contains($0.id.uppercased()) }
        var results: [BenchResult] = []
        var sections: [BenchHTML.Section] = []
        let toStdout = json == "-"
        for definition in workloads {
            let table = definition.unavailable == nil ? try measure(definition) : []
            if standardErrorIsTerminal { printProgress("") }
            if !toStdout { print(BenchReport.table(definition, table)) }
            results += table.filter { !$0.samples.isEmpty }
            sections.append(.init(definition: definition, results: table))
        }
        if let html {
            let page = BenchHTML(
                sections: sections, facts: BenchHTML.facts(quick: quick, rounds: roundCount), build: BenchReport.build)
            try ReportFile.write(page.page, to: html)
        }
        if let json {
            let unavailable = workloads.filter { $0.unavailable != nil }.map(\.id)
            let data = try BenchReport.json(results, unavailable: unavailable, quick: quick, rounds: roundCount)
            if toStdout {
                print(String(decoding: data, as: UTF8.self))
            } else {
                try data.write(to: URL(fileURLWithPath: json))
            }
        }
    }

    /// Every subject's rounds on one workload (no samples for a subject that cannot run it).
    /// Rounds are interleaved — round 1 of every subject, then round 2 — so a slow spell of a
    /// shared machine falls on all subjects alike instead of on the ratios.
    private func measure(_ definition: WorkloadDefinition) throws -> [BenchResult] {
        let subjects = BenchSubjectKind.allCases
        var samples = [[Double]](repeating: [], count: subjects.count)
        for round in 1...roundCount {
            for (index, subject) in subjects.enumerated() {
                if standardErrorIsTerminal {
                    printProgress("\(definition.id) \(subject.rawValue) (round \(round) of \(roundCount))")
                }
                do {
                    for run in try definition.run(subject, quick, 1) ?? [] {
                        checksumSink.wrappingAdd(run.checksum, ordering: .relaxed)
                        samples[index].append(run.nanoseconds / Double(run.units))
                    }
                } catch {
                    printError("\(definition.id) \(subject.rawValue) failed:\n\(error)")
                    throw ExitCode.failure
                }
            }
        }
        return subjects.indices.map {
            BenchResult(workload: definition.id, subject: subjects[$0].rawValue, unit: "ns", samples: samples[$0])
        }
    }

    private func printProgress(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
}
