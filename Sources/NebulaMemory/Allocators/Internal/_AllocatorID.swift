import Synchronization

/// Process-wide source of allocator identities, so a checkpoint or marker can never be
/// mistaken for one of another allocator, even one created later at the same address.
private let _nextAllocatorID = Atomic<UInt64>(1)

@usableFromInline
func _makeAllocatorID() -> UInt64 {
    _nextAllocatorID.add(1, ordering: .relaxed).oldValue
}
