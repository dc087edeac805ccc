extension BenchBarChart {
    /// How many times the median above a gap must be the one below it before the bars above may be cut.
    static let cutGap = 4.0
    /// The share of the scale below which a typical bar is too short to read.
    static let readableShare = 0.02

    /// The median above which bars are cut at the end of the scale, or nil when none are.
    ///
    /// One subject a hundred times slower than the rest (`system` freeing 10,000 pointers one by
    /// one, against a reset) would leave every other bar too short to see. So when the typical
    /// (middle) median is under ``readableShare`` of the largest, the scale ends below the
    /// fewest slowest rows whose removal makes it readable, cutting only at a gap (a median over
    /// ``cutGap`` times the next one down) and never more than a third of the rows. Cut bars
    /// reach past the end of the scale with a slash across; their values stand in the columns.
    var cutAbove: Double? {
        let medians = rows.map(\.median).filter { $0 > 0 }.sorted(by: >)
        guard medians.count >= 3 else { return nil }
        let typical = medians[medians.count / 2]
        guard typical < Self.readableShare * medians[0] else { return nil }
        var limit: Double?
        for count in 1...max(1, medians.count / 3) where medians[count - 1] > Self.cutGap * medians[count] {
            limit = medians[count]
            if typical >= Self.readableShare * medians[count] { break }
        }
        return limit
    }
}
