/// Where sampled allocations came from: the source line of a typed allocation and the kind of
/// allocator that served it.
public struct AllocationSite: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file of the call, as `#fileID` gives it (`Module/File.swift`).
    public let file: String
    /// The line of the call.
    public let line: UInt
    /// The allocator that served it.
    public let allocator: AllocatorKind

    /// A site.
    ///
    /// - Parameters:
    ///   - file: the file of the call (`Module/File.swift`).
    ///   - line: the line of the call.
    ///   - allocator: the kind of allocator that served it.
    public init(file: String, line: UInt, allocator: AllocatorKind) {
        self.file = file
        self.line = line
        self.allocator = allocator
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}
