/// One subject's line of a workload's report, as the table and the HTML page both show it:
/// the summary of its rounds and its two ratios, already formatted.
struct BenchRow {
    let subject: String
    let median: Double
    let min: Double
    let max: Double
    /// Speed-up over the workload's baseline (`system`, or `swift-class` in W7), e.g. `3.50×`;
    /// `—` where there is no ratio.
    let speedup: String
    /// Time relative to the C reference, e.g. `1.20×`; `—` where there is no ratio.
    let floor: String
    /// The rounds spread over more than ``BenchCommand/noisySpread`` of the median.
    let isNoisy: Bool

    /// The rows of the subjects that ran `definition`, in the order of `results`.
    static func rows(_ definition: WorkloadDefinition, _ results: [BenchResult]) -> [BenchRow] {
        let ran = results.filter { !$0.samples.isEmpty }
        let system = ran.first { $0.subject == definition.baseline.rawValue }?.median
        let reference = ran.first { $0.subject == BenchSubjectKind.cReference.rawValue }?.median
        return ran.map { result in
            BenchRow(
                subject: result.subject, median: result.median, min: result.min, max: result.max,
                speedup: definition.hasRatios ? ratio(system, result.median) : "—",
                floor: definition.hasRatios ? ratio(result.median, reference) : "—",
                isNoisy: result.median > 0 && (result.max - result.min) / result.median > BenchCommand.noisySpread)
        }
    }

    private static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0, numerator > 0 else { return "—" }
        return BenchReport.format(numerator / denominator) + "×"
    }
}
