/// A harness's driver: decodes one operation at a time, performs it against the subject and
/// its model, then checks what must hold between operations.
protocol FuzzDriver: AnyObject {
    /// The operations performed so far, for the failure report.
    var trace: [String] { get }
    /// Decodes, records and performs the next operation.
    func step(_ input: inout FuzzInput) throws(FuzzFailure)
    /// What must hold after every operation.
    func checkInvariants() throws(FuzzFailure)
}

extension FuzzDriver {
    /// The most operations one input runs; longer inputs are cut short.
    static var maximumOperations: Int { 512 }

    /// Runs operations until the input ends; a failure carries the operations that led to it.
    func run(_ input: inout FuzzInput) throws(FuzzFailure) {
        var steps = 0
        while !input.isAtEnd, steps < Self.maximumOperations {
            steps += 1
            do {
                try step(&input)
                try checkInvariants()
            } catch {
                var failure = error
                failure.trace = trace
                throw failure
            }
        }
    }
}
