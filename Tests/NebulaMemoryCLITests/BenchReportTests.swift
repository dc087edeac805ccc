import ArgumentParser
import Testing

@testable import nebula_memory

/// How `nebula-memory bench` reads its options and prints its tables.
@Suite struct BenchReportTests {
    private let w3 = WorkloadDefinition.all.first { $0.id == "W3" }!

    @Test func aTableListsOnlyTheSubjectsThatRanWideEnoughForTheirNames() {
        let results = [
            BenchResult(workload: "W3", subject: "system", unit: "ns", samples: [10, 10, 10]),
            BenchResult(workload: "W3", subject: "pool", unit: "ns", samples: []),
            BenchResult(workload: "W3", subject: "concurrent-object-pool", unit: "ns", samples: [2, 2, 2]),
        ]
        let lines = BenchReport.table(w3, results).split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "title, header, and the two subjects that ran:\n\(lines.joined(separator: "\n"))")
        #expect(!lines.contains { $0.hasPrefix("pool ") })
        let row = lines.first { $0.hasPrefix("concurrent-object-pool") }
        // The name and its median never run together.
        #expect(row?.hasPrefix("concurrent-object-pool  ") == true)
        #expect(row?.contains("5.00×") == true)
    }

    @Test func aSpreadOverAFifthOfTheMedianIsMarkedNoisy() {
        let results = [
            BenchResult(workload: "W3", subject: "system", unit: "ns", samples: [10, 10.5, 11.9]),
            BenchResult(workload: "W3", subject: "pool", unit: "ns", samples: [2, 2.5, 3]),
        ]
        let lines = BenchReport.table(w3, results).split(separator: "\n")
        #expect(lines.first { $0.hasPrefix("system") }?.hasSuffix("noisy") == false)
        #expect(lines.first { $0.hasPrefix("pool") }?.hasSuffix("noisy") == true)
    }

    @Test func roundsOutsideTheirRangeAreRefused() throws {
        #expect(throws: (any Error).self) { try BenchCommand.parse(["--rounds", "0"]) }
        #expect(throws: (any Error).self) { try BenchCommand.parse(["--filter", "W99"]) }
        let command = try BenchCommand.parse(["--rounds", "3", "--filter", "w1-cold"])
        #expect(command.roundCount == 3)
        #expect(try BenchCommand.parse(["--quick"]).roundCount == 1)
    }

    @Test func aJSONPathThatCannotBeWrittenFailsBeforeAnyMeasurement() throws {
        let command = try BenchCommand.parse(["--filter", "W3", "--json", "/nonexistent-folder/results.json"])
        #expect(throws: ExitCode.failure) { try command.run() }
    }
}
