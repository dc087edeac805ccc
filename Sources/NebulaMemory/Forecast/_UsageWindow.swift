/// The samples a ``UsageForecaster`` fits: a ring of (time, bytes) pairs, oldest first, bounded
/// by a count and optionally by an age. Its storage is made once; recording overwrites in place.
struct _UsageWindow: Sendable {
    private var times: [Duration]
    private var bytes: [Int]
    /// Where the oldest sample is.
    private var start = 0
    private(set) var count = 0
    private let maxAge: Duration?

    init(capacity: Int, maxAge: Duration?) {
        times = Array(repeating: .zero, count: capacity)
        bytes = Array(repeating: 0, count: capacity)
        self.maxAge = maxAge
    }

    /// The time of the newest sample; nil while the window is empty.
    var newestTime: Duration? { count == 0 ? nil : times[slot(count - 1)] }

    /// Adds a sample no older than the newest, forgetting the oldest when the window is full and
    /// every sample that has grown older than `maxAge` against it.
    mutating func append(time: Duration, used: Int) {
        if count == times.count {
            times[start] = time
            bytes[start] = used
            start = (start + 1) % times.count
        } else {
            times[slot(count)] = time
            bytes[slot(count)] = used
            count += 1
        }
        guard let maxAge else { return }
        while time - times[start] > maxAge {
            start = (start + 1) % times.count
            count -= 1
        }
    }

    mutating func removeAll() {
        start = 0
        count = 0
    }

    /// The least-squares line through the samples.
    ///
    /// Times are taken relative to the newest sample and both coordinates are centred on their
    /// means before the products are summed, so that neither a clock reading of days nor a use
    /// of gigabytes cancels the few digits a slope lives in.
    ///
    /// - Complexity: O(*n*) for *n* samples, in two passes.
    func fit() -> UsageTrend {
        guard count > 0 else { return UsageTrend() }
        let newest = times[slot(count - 1)]
        let n = Double(count)
        var timeSum = 0.0
        var usedSum = 0.0
        for index in 0..<count {
            timeSum += (times[slot(index)] - newest).inSeconds
            usedSum += Double(bytes[slot(index)])
        }
        let meanTime = timeSum / n
        let meanUsed = usedSum / n
        var timeSquares = 0.0
        var products = 0.0
        for index in 0..<count {
            let time = (times[slot(index)] - newest).inSeconds - meanTime
            timeSquares += time * time
            products += time * (Double(bytes[slot(index)]) - meanUsed)
        }
        // Samples all taken at one time show no direction.
        let slope = timeSquares > 0 ? products / timeSquares : 0
        return UsageTrend(
            slope: slope, fittedLatest: meanUsed - slope * meanTime, sampleCount: count, latest: newest,
            latestUsed: bytes[slot(count - 1)], span: newest - times[start])
    }

    private func slot(_ index: Int) -> Int { (start + index) % times.count }
}
