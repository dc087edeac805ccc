/// An object that must know it was registered: memory contexts recycle their budgets and
/// arenas, which they must not do once a registry reads them.
protocol _RegistryMember: AnyObject {
    func _markRegistered()
}

extension MemoryBudget: _RegistryMember {
    func _markRegistered() { registered.store(true, ordering: .relaxed) }
}

extension ConcurrentBumpAllocator: _RegistryMember {
    func _markRegistered() { _registered.store(true, ordering: .relaxed) }
}
