import Foundation

/// A linear axis: maps a domain of values onto a range of pixels. The domain is widened to
/// round ticks (1, 2 or 5 × 10ⁿ apart) so that the axis starts and ends on a labelled tick.
struct ChartScale {
    /// The smallest and largest value on the axis (both ticks).
    let lower: Double
    let upper: Double
    /// The distance between ticks.
    let step: Double
    /// The pixels of `lower` and `upper`; `start` may be the larger (a y axis grows upwards).
    let start: Double
    let end: Double

    /// A scale whose domain covers every finite value of `values`, with about `ticks` intervals.
    init(covering values: [Double], from start: Double, to end: Double, ticks: Int = 5) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if low == high {
            // One value: a band around it, so that it does not sit on the axis's edge.
            let pad = low == 0 ? 1 : abs(low) * 0.05
            low -= pad
            high += pad
        }
        let step = Self.roundStep((high - low) / Double(Swift.max(1, ticks)))
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        self.start = start
        self.end = end
    }

    /// The pixel of `value`.
    func callAsFunction(_ value: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// The tick values from `lower` to `upper`; each computed from its index, so no rounding error adds up.
    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { index in
            let tick = lower + Double(index) * step
            return abs(tick) < step / 2 ? 0 : tick
        }
    }

    /// A tick's label: as many decimals as the step needs, thousands grouped.
    func label(_ tick: Double) -> String {
        let decimals = step >= 1 ? 0 : Int((-log10(step)).rounded(.up))
        let text = String(format: "%.\(decimals)f", tick)
        guard decimals == 0, abs(tick) >= 1000 else { return text }
        return Self.grouped(text)
    }

    /// The round step (1, 2 or 5 × 10ⁿ) nearest above `raw`.
    static func roundStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let round: Double =
            switch fraction {
            case ...1: 1
            case ...2: 2
            case ...5: 5
            default: 10
            }
        return round * magnitude
    }

    /// An integer's digits with a comma every three, e.g. `41,234`.
    static func grouped(_ digits: String) -> String {
        let sign = digits.hasPrefix("-") ? "-" : ""
        let body = Array(digits.dropFirst(sign.count))
        var result = ""
        for (index, digit) in body.enumerated() {
            if index > 0 && (body.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return sign + result
    }
}
