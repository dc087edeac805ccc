import NebulaMemory
import Testing

// The bad-input cases of the allocation profiler: sample intervals that are not positive. The
// profiler is process-wide, so each case holds the gate its own tests hold.

/// The profiler's state as the bad-input cases observe it.
private var profilerState: ObservedState {
    ObservedState([
        "active": AllocationProfiler.isActive ? 1 : 0,
        "sample interval": AllocationProfiler.sampleInterval,
    ])
}

let profilerCases: [BadInputCase] = [0, -1].map { interval in
    BadInputCase("AllocationProfiler", "`start(sampleInterval: \(interval))`", .error(.invalidConfiguration)) {
        probe in
        try await ProfilerGate.runAsync {
            try AllocationProfiler.start(sampleInterval: 4096, seed: 1)
            return await probe.attempt(observing: profilerState) {
                try AllocationProfiler.start(sampleInterval: interval, seed: 2)
            }
        }
    }
}
