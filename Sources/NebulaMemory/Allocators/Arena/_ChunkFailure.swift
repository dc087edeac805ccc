/// Why an arena could not take a chunk.
@usableFromInline
enum _ChunkFailure {
    /// The system had no memory.
    case system
    /// The arena's budget denied the chunk.
    case budget(AllocError)

    /// The error an allocation of `layout` that needed the chunk throws.
    @usableFromInline
    func error(for layout: Layout, bytes: Int) -> AllocError {
        switch self {
        case .system: AllocError.systemOutOfMemory(bytes: bytes, allocatorKind: .arena, layout: layout)
        case .budget(let denial): denial
        }
    }
}
