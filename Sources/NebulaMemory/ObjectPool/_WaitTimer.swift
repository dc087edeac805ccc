/// The timeout task of one waiting checkout, cancelled when the checkout ends, also when that
/// happens before the task exists.
final class _WaitTimer: Sendable {
    private let task = _Locked<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

    func start(_ make: () -> Task<Void, Never>) {
        task.withLock { state in
            if !state.cancelled { state.task = make() }
        }
    }

    func cancel() {
        task.withLock { state in
            state.cancelled = true
            state.task?.cancel()
        }
    }
}
