import ArgumentParser
import Testing

@testable import nebula_memory

/// Samples one second apart with the given resident sizes (in MiB), 10 executions a second.
private func samples(_ mebibytes: [Double]) -> [SoakVerdict.Sample] {
    mebibytes.enumerated().map { index, size in
        SoakVerdict.Sample(
            elapsed: Double(index + 1), executions: 10 * (index + 1), residentBytes: Int(size * Double(1 << 20)))
    }
}

@Suite struct SoakVerdictTests {
    @Test func aFlatRunPasses() {
        let verdict = SoakVerdict(samples: samples([10, 10, 10.2, 10.1, 10.3, 10.2]), warmup: 2)
        #expect(verdict.isFlat)
        #expect(verdict.baseline == 10 << 20)
        #expect(verdict.maxAfterWarmup == Int(10.3 * Double(1 << 20)))
        #expect(verdict.overLimit.isEmpty)
    }

    @Test func growthOfSixPercentAfterWarmupFails() {
        let verdict = SoakVerdict(samples: samples([10, 10, 10, 10.6, 10.2]), warmup: 2)
        #expect(!verdict.isFlat)
        #expect(verdict.overLimit.map(\.elapsed) == [4])
        #expect(verdict.ratio.map { abs($0 - 1.06) < 1e-6 } == true)
    }

    @Test func growthWithinFivePercentPasses() {
        let verdict = SoakVerdict(samples: samples([10, 10, 10.5]), warmup: 2)
        #expect(verdict.isFlat)
    }

    @Test func growthDuringWarmupIsIgnored() {
        // The warm-up grows from 4 to 10 MiB; its largest sample is the baseline.
        let verdict = SoakVerdict(samples: samples([4, 7, 10, 10.4, 10.1]), warmup: 3)
        #expect(verdict.isFlat)
        #expect(verdict.baseline == 10 << 20)
    }

    @Test func withoutWarmupSamplesTheFirstSampleIsTheBaseline() {
        let verdict = SoakVerdict(samples: samples([10, 11]), warmup: 0.5)
        #expect(verdict.baseline == 10 << 20)
        #expect(!verdict.isFlat)
    }

    @Test func aReportOfGrowthSaysWhatGrewAndFails() {
        let series = samples([10, 10, 12])
        let verdict = SoakVerdict(samples: series, warmup: 2)
        let report = SoakReport(
            samples: series, verdict: verdict, leftovers: [], seconds: 3, warmup: 2, threads: 2, seed: 1,
            holdings: (["node pool objects": 12], ["node pool objects": 40]))
        #expect(!report.passed)
        #expect(report.summary.contains("GREW"))
        #expect(report.summary.contains("node pool objects 12 → 40"))
        #expect(report.summary.contains("20.0 %"))
    }

    @Test func leftoversFailAFlatRun() {
        let series = samples([10, 10, 10])
        let report = SoakReport(
            samples: series, verdict: SoakVerdict(samples: series, warmup: 1), leftovers: ["budget engine"],
            seconds: 3, warmup: 1, threads: 2, seed: 1)
        #expect(!report.passed)
        #expect(report.summary.contains("FAILED CHECKS"))
    }

    @Test func residentBytesComeFromTheSecondStatmField() {
        #expect(ResidentMemory.residentBytes(statm: "1000 250 30 4 0 60 0\n", pageSize: 4096) == 250 * 4096)
        #expect(ResidentMemory.residentBytes(statm: "garbage", pageSize: 4096) == nil)
    }
}

@Suite struct SoakCommandValidationTests {
    @Test(arguments: [
        ["--seconds", "0"], ["--interval", "0"], ["--seconds", "10", "--warmup", "10"], ["--seconds", "-1"],
    ])
    func badArgumentsAreRejected(_ arguments: [String]) {
        do {
            _ = try SoakCommand.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(SoakCommand.exitCode(for: error) == .validationFailure)
        }
    }

    @Test func theDefaultsAreValid() throws {
        let command = try SoakCommand.parse([])
        #expect(command.seconds == 60)
        #expect(command.warmupSeconds == 12)
    }
}
