/// Runs an async call that may never return (a factory, a health check) in a task of its own,
/// so that its caller can stop waiting for it: when the time is up or the caller is cancelled,
/// the caller goes on and the call is cancelled and left to finish, its late result passed to
/// `abandoned`.
enum _TimeBoundedCall {
    /// The call's result; nil when `limit` passed first.
    ///
    /// - Throws: what the call throws, or `CancellationError` when the caller was cancelled.
    static func run<Value: Sendable>(
        limit: Duration, _ call: @escaping @Sendable () async throws -> Value,
        abandoned: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) async throws -> Value? {
        let race = _Race<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // Cancelled already: the call is not even started.
                guard race.begin(continuation) else { return }
                let work = Task {
                    let result: Result<Value, any Error>
                    do { result = .success(try await call()) } catch { result = .failure(error) }
                    if !race.finish(with: result.map { Optional($0) }) { abandoned(result) }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    if !Task.isCancelled, race.finish(with: .success(nil)) { work.cancel() }
                }
                race.attach(work: work, timer: timer)
            }
        } onCancel: {
            _ = race.finish(with: .failure(CancellationError()))
        }
    }
}

/// Who resumes the caller of a time-bounded call: the call, its timer or a cancellation,
/// whichever comes first; the others find it done.
private final class _Race<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value?, any Error>?
        var done = false
        /// A result that came before the caller began waiting (a cancellation).
        var early: Result<Value?, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let state = _Locked(State())

    /// Registers the caller; false (and the caller resumed) when the race was decided already.
    func begin(_ continuation: CheckedContinuation<Value?, any Error>) -> Bool {
        let early = state.withLock { state in
            if !state.done { state.continuation = continuation }
            return state.early
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let finished = state.withLock { state in
            state.work = work
            state.timer = timer
            return state.done
        }
        if finished {
            timer.cancel()
            work.cancel()
        }
    }

    /// Resumes the caller with `result` unless someone did already; true when this call did.
    func finish(with result: Result<Value?, any Error>) -> Bool {
        let taken = state.withLock {
            state -> (CheckedContinuation<Value?, any Error>?, Task<Void, Never>?, Task<Void, Never>?)? in
            guard !state.done else { return nil }
            state.done = true
            if state.continuation == nil { state.early = result }
            defer { state.continuation = nil }
            return (state.continuation, state.work, state.timer)
        }
        guard let (continuation, work, timer) = taken else { return false }
        timer?.cancel()
        if case .failure = result { work?.cancel() }
        continuation?.resume(with: result)
        return true
    }
}
