extension Duration {
    /// The duration in seconds, as a `Double`: what a slope in bytes per second is measured in.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
