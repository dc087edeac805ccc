extension MemorySnapshot {
    /// The snapshot as JSON text, in the shape its `Codable` conformance decodes: keys are the
    /// property names, absent readings are left out, pressure is its level (0 to 3).
    ///
    /// ```swift
    /// let text = MemoryRegistry.shared.snapshot().jsonText()
    /// // {"entries":[{"name":"engine","report":{"kind":"budget","budget":{"path":"engine",…}}}]}
    /// ```
    ///
    /// - Returns: one line of JSON.
    /// - Complexity: O(entries).
    public func jsonText() -> String {
        // The snapshot's own types encode only strings and integers: nothing can fail.
        (try? _JSONEncoder.encode(self)) ?? "{}"
    }
}
