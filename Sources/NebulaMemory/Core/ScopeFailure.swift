/// Why a call that runs a body inside something the library opens and closes failed: the
/// body threw, or the library could not open or close what the body ran in.
///
/// ``ConcurrentBumpAllocator/withScope(_:)`` opens a checkpoint and restores it, either of
/// which finds another thread's allocation under way when misuse detection is on;
/// ``ImmediateObjectPooling/withObject(_:)`` checks an object out, which finds the pool exhausted or
/// closed. Neither failure is dropped: each reaches the caller with the body's own error
/// kept apart, typed.
///
/// ```swift
/// do {
///     let total = try arena.withScope { scratch throws(ParseError) in try parse(input, in: scratch) }
/// } catch .body(let parseError) {
///     report(parseError)
/// } catch {
///     logger.error("\(error)")   // .open or .close: an AllocError
/// }
/// ```
public enum ScopeFailure<BodyFailure: Error>: Error, CustomStringConvertible {
    /// The scope could not be opened; the body did not run and nothing changed.
    case open(AllocError)
    /// The body threw; the scope was closed.
    case body(BodyFailure)
    /// The scope could not be closed, so what the body allocated in it was not freed; the
    /// body's own failure, if it threw, is kept alongside.
    case close(AllocError, bodyFailure: BodyFailure?)

    /// The library's error, when opening or closing the scope failed.
    public var allocError: AllocError? {
        switch self {
        case .open(let error), .close(let error, _): error
        case .body: nil
        }
    }

    /// What the body threw, if it threw.
    public var bodyFailure: BodyFailure? {
        switch self {
        case .open: nil
        case .body(let failure): failure
        case .close(_, let failure): failure
        }
    }

    /// The failure as one message: the library's error in full, or the body's.
    public var description: String {
        switch self {
        case .open(let error): "the scope could not be opened: \(error)"
        case .body(let failure): "\(failure)"
        case .close(let error, nil): "the scope could not be closed: \(error)"
        case .close(let error, let failure?): "the scope could not be closed: \(error)\n  the body threw: \(failure)"
        }
    }
}

extension ScopeFailure: Equatable where BodyFailure: Equatable {}
