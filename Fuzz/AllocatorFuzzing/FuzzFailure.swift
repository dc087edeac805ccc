/// A step where an allocator and its reference model disagree.
public struct FuzzFailure: Error, CustomStringConvertible {
    /// What was expected and what happened.
    public var message: String
    /// The operations run up to and including the failing one, oldest first.
    public var trace: [String]

    init(_ message: String, trace: [String] = []) {
        self.message = message
        self.trace = trace
    }

    /// The message, then the operations that led to it.
    public var description: String {
        ([message, "operations:"] + trace.suffix(600).map { "  " + $0 }).joined(separator: "\n")
    }
}

/// Fails with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message()) }
}
