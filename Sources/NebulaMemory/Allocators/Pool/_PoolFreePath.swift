/// How a ``PoolAllocator`` frees a block, decided once from its configuration.
@usableFromInline
enum _PoolFreePath: UInt8 {
    case unchecked
    case validated
    case checked
}
