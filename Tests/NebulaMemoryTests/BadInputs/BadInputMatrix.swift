import NebulaMemory
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The machinery of the bad-input matrix (the cases are in BadInputMatrixTests.swift): one case
// per bad input, run on a fresh instance with its state read before and after the bad call,
// and the rendering of all outcomes as docs/BAD-INPUTS.md.

/// What a bad input should get.
enum BadInputExpectation: Sendable, Equatable {
    /// An `AllocError` with this code.
    case error(AllocError.Code)
    /// No error, by design; the text says what happens instead ("no error: <text>" in the matrix).
    case noError(String)
}

/// One bad input tried on one API.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    /// The section of the matrix: a type, or a free function.
    let api: String
    /// The bad input, as the matrix shows it.
    let input: String
    let expected: BadInputExpectation
    /// A deviation from the library's promise that is known and not fixed yet: the case's
    /// problems are then recorded as a known issue (reported, and an error once they are gone),
    /// and the text appears under the API's table.
    let knownIssue: String?
    /// Makes a fresh instance, then performs the bad call through the probe exactly once and
    /// returns what the probe returned: the thrown `AllocError`, or nil.
    let run: @Sendable (BadInputProbe) async throws -> AllocError?

    init(
        _ api: String, _ input: String, _ expected: BadInputExpectation, knownIssue: String? = nil,
        _ run: @escaping @Sendable (BadInputProbe) async throws -> AllocError?
    ) {
        self.api = api
        self.input = input
        self.expected = expected
        self.knownIssue = knownIssue
        self.run = run
    }

    var testDescription: String { "\(api): \(input)" }
}

/// Why a case's own check of a call that does not throw failed.
struct BadInputCheckFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The observable state of the instances a case works on: named values, compared before and
/// after the bad call. Counters of failures (`failedAllocations`, budget `denials`) are left
/// out: they count the refused call by design.
struct ObservedState: Equatable {
    struct Field: Equatable {
        let name: String
        let value: Int
    }

    private(set) var fields: [Field]
    /// Why there is nothing to compare (no instance is made, or the API keeps no state).
    private(set) var unobservable: String?

    init(_ fields: KeyValuePairs<String, Int>) {
        self.fields = fields.map { Field(name: $0.key, value: $0.value) }
    }

    static func unobservable(_ reason: String) -> ObservedState {
        var state = ObservedState([:])
        state.unobservable = reason
        return state
    }

    /// The fields of both, `rhs`'s after `lhs`'s.
    static func + (lhs: ObservedState, rhs: ObservedState) -> ObservedState {
        var sum = lhs
        sum.fields += rhs.fields
        return sum
    }

    /// The same fields, named `prefix.name`.
    func prefixed(_ prefix: String) -> ObservedState {
        var state = self
        state.fields = fields.map { Field(name: "\(prefix).\($0.name)", value: $0.value) }
        return state
    }

    /// `name old → new` for each field that differs from `later`.
    func changes(to later: ObservedState) -> [String] {
        guard fields.map(\.name) == later.fields.map(\.name) else {
            return ["fields \(fields.map(\.name)) → \(later.fields.map(\.name))"]
        }
        return zip(fields, later.fields).compactMap { old, new in
            old.value == new.value ? nil : "\(old.name) \(old.value) → \(new.value)"
        }
    }
}

/// Performs a case's one bad call and keeps the state before and after it.
final class BadInputProbe {
    fileprivate(set) var before: ObservedState?
    fileprivate(set) var after: ObservedState?
    /// A thrown error that is not an `AllocError`.
    private(set) var foreignError: String?
    fileprivate(set) var attempts = 0

    /// Performs `call` on an API that keeps no state to observe (initializers, `Layout`).
    func attempt(_ reason: String = "no instance is made", _ call: () async throws -> Void) async -> AllocError? {
        await attempt(observing: .unobservable(reason), call)
    }

    /// Reads `state`, performs `call`, reads `state` again; returns the `AllocError` thrown, or nil.
    func attempt(observing state: @autoclosure () -> ObservedState, _ call: () async throws -> Void) async
        -> AllocError?
    {
        attempts += 1
        before = state()
        defer { after = state() }
        do {
            try await call()
            return nil
        } catch let error as AllocError {
            return error
        } catch {
            foreignError = "\(type(of: error)): \(error)"
            return nil
        }
    }
}

extension BadInputProbe {
    /// Records a call that `attempt` cannot make, because it must run inside another call
    /// (an allocation under way), with the states read right around it; returns `error`.
    func record(before: ObservedState, after: ObservedState, error: AllocError?) -> AllocError? {
        attempts += 1
        self.before = before
        self.after = after
        return error
    }
}

/// What one case did, and how it compares with its expectation.
struct BadInputOutcome {
    let badInput: BadInputCase
    let error: AllocError?
    let before: ObservedState?
    let after: ObservedState?
    /// How the outcome differs from the expectation; empty when it meets it.
    let problems: [String]

    /// The "error code" cell.
    var codeCell: String {
        if let error { return "`\(error.code.rawValue)`" }
        if case .noError(let text) = badInput.expected { return "no error: \(text)" }
        return "**no error**"
    }

    /// The "state unchanged" cell.
    var stateCell: String {
        guard let before, let after else { return "**not observed**" }
        if let reason = before.unobservable { return "n/a: \(reason)" }
        let changes = before.changes(to: after)
        return changes.isEmpty ? "yes" : "**no**: " + changes.joined(separator: ", ")
    }
}

extension BadInputCase {
    /// Runs the case and judges the outcome.
    func perform() async -> BadInputOutcome {
        let probe = BadInputProbe()
        var problems: [String] = []
        var error: AllocError?
        do {
            error = try await run(probe)
        } catch {
            let stage = probe.attempts == 0 ? "setting up" : "checking the outcome"
            problems.append("\(stage) failed: \(error)")
        }
        if probe.attempts != 1 { problems.append("made \(probe.attempts) attempts instead of exactly one") }
        if let foreign = probe.foreignError { problems.append("threw an error that is not an AllocError: \(foreign)") }
        switch (expected, error) {
        case (.error(let code), let error?) where error.code != code:
            problems.append("expected \(code.rawValue), got:\n\(error)")
        case (.error(let code), nil):
            problems.append("expected \(code.rawValue), but nothing was thrown")
        case (.noError, let error?):
            problems.append("expected no error, got:\n\(error)")
        default:
            break
        }
        if error != nil, let before = probe.before, let after = probe.after {
            let changes = before.changes(to: after)
            if !changes.isEmpty {
                problems.append("the failed call changed the state: " + changes.joined(separator: ", "))
            }
        }
        return BadInputOutcome(
            badInput: self, error: error, before: probe.before, after: probe.after, problems: problems)
    }
}

/// The rendering of the matrix and the document it is checked against.
enum BadInputMatrix {
    /// The environment variable that makes the document test write the file instead of comparing.
    static let updateVariable = "NEBULA_UPDATE_BAD_INPUTS"

    /// The command that regenerates the document.
    static let regenerateCommand = "\(updateVariable)=1 swift test --filter BadInputMatrix"

    /// The document's path in the repository, relative to its root.
    static let documentName = "docs/BAD-INPUTS.md"

    /// The checked-in document, found from this file's place in the repository.
    static func documentPath(testFile: String = #filePath) -> String {
        repositoryRoot(of: testFile) + "/" + documentName
    }

    /// The whole document: the header, then a section per API in the order the cases list them.
    static func render(_ outcomes: [BadInputOutcome], untried: KeyValuePairs<String, String>) -> String {
        var apis: [String] = []
        for outcome in outcomes where !apis.contains(outcome.badInput.api) {
            apis.append(outcome.badInput.api)
        }
        var lines = header
        for api in apis {
            lines += ["", "## \(api)", "", "| bad input | error code | state unchanged |", "|---|---|---|"]
            for outcome in outcomes where outcome.badInput.api == api {
                let cells = [outcome.badInput.input, outcome.codeCell, outcome.stateCell].map(escaped)
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            let known = outcomes.compactMap { $0.badInput.api == api ? $0.badInput.knownIssue : nil }
            let notes = known.map { "Known issue: \($0)" } + untried.filter { $0.key == api }.map { "Not tried: \($1)" }
            if !notes.isEmpty {
                lines.append("")
                lines += notes
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let header = [
        "# Bad inputs",
        "",
        "<!-- Generated by Tests/NebulaMemoryTests/BadInputs/BadInputMatrixTests.swift; do not edit by hand. -->",
        "",
        "NebulaMemory promises that bad input never crashes: it throws an `AllocError` with a stable code",
        "(`nebula-memory explain CODE` describes each) and leaves the instance as it was. This file lists",
        "the bad inputs the test suite tries on each public API, the error each gets, and whether the",
        "instance's observable state (`used`, counts, statistics, budget `used` at every level) was the",
        "same after the call as before. Counters of failures (`failedAllocations`, budget `denials`)",
        "count the refused call by design and are not compared. A \"no error\" row is an input the API",
        "accepts by design, with what happens instead.",
        "",
        "`BadInputMatrixTests` runs every case on a fresh instance, fails when an outcome differs from",
        "the expected one, and fails when this file differs from what it finds. After a deliberate",
        "change, regenerate the file and commit it:",
        "",
        "```sh",
        regenerateCommand,
        "```",
    ]

    private static func escaped(_ cell: String) -> String {
        cell.replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    /// The file's text, or nil when it cannot be read.
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[..<count]
            if count < chunk.count { break }
        }
        return ferror(file) == 0 ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Writes `text` to `path`; false when that failed.
    static func write(_ text: String, to path: String) -> Bool {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if mkdir(directory, 0o755) != 0, errno != EEXIST { return false }
        guard let file = fopen(path, "w") else { return false }
        let written = fputs(text, file)
        return fclose(file) == 0 && written >= 0
    }

    /// The first line where `actual` differs from `expected`, for the failure message.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : "(end of file)"
            let after = index < new.count ? String(new[index]) : "(end of file)"
            if before != after {
                return "line \(index + 1):\n  checked in: \(before)\n  found now:  \(after)"
            }
        }
        return "no line differs"
    }
}
