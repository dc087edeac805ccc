/// How a ``PoolAllocator`` frees a block, decided once from its configuration.
@usableFromInline
enum _PoolFreePath: UInt8 {
    // The default first: raw value 0, tested in one instruction.
    case validated
    case unchecked
    case checked
}
