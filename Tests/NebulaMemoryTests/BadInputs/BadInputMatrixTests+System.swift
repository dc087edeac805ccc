import NebulaMemory
import Testing

// The bad-input cases of the memory monitor, of reading system memory and of the usage
// forecaster. Reading never throws: a malformed file leaves its fields nil and adds a note, which
// each case checks.

/// The bad settings a monitor refuses, as (input, interval, thresholds).
private let badMonitorSettings: [(String, Duration, MemoryPressure.Thresholds)] = [
    ("`interval: .zero`", .zero, .init()),
    ("`interval: .seconds(-1)`", .seconds(-1), .init()),
    (
        "thresholds out of order (moderate 5 % available, critical 20 %)", .seconds(1),
        .init(moderateAvailable: 0.05, criticalAvailable: 0.20)
    ),
    ("a stall threshold of 150 %", .seconds(1), .init(criticalStall: 150)),
    ("an available threshold of NaN", .seconds(1), .init(highAvailable: .nan)),
    ("a negative hysteresis", .seconds(1), .init(availableHysteresis: -0.01)),
]

/// The bad forecast settings a monitor refuses, as (input, horizon, window, with a budget).
private let badMonitorForecasts: [(String, Duration, Int, Bool)] = [
    ("`forecastHorizon: .zero`", .zero, 30, true),
    ("`forecastHorizon: .seconds(-1)`", .seconds(-1), 30, true),
    ("`forecastHorizon` without a budget", .seconds(60), 30, false),
    ("`forecastWindow: 1` (a line needs two samples)", .seconds(60), 1, true),
    ("`forecastWindow: 0`", .seconds(60), 0, true),
    ("`forecastWindow: Int.max`", .seconds(60), .max, true),
]

/// Garbage read as system memory files, as (input, files, fields left nil, what the notes name).
private let garbageSystemFiles: [(String, KeyValuePairs<String, [UInt8]>, [String], [String])] = [
    (
        "no files at all (an empty root)", [:], ["total", "available", "pressure", "cgroupVersion"],
        ["meminfo", "pressure/memory", "self/cgroup"]
    ),
    (
        "`meminfo` with words for numbers and no unit",
        ["proc/meminfo": Array("MemTotal: lots kB\nMemAvailable: 12\n".utf8)],
        ["total", "available"], ["MemTotal", "MemAvailable"]
    ),
    (
        "`meminfo` of 2^60 kB (overflows bytes)",
        ["proc/meminfo": Array("MemTotal: 1152921504606846976 kB\nMemAvailable: 1 kB\n".utf8)], ["total"],
        ["MemTotal"]
    ),
    (
        "PSI with negative, NaN and huge averages",
        ["proc/pressure/memory": Array("some avg10=-1 avg60=nan total=0\nfull avg10=1e9 avg60=101\n".utf8)],
        ["pressure"], ["some avg10", "some avg60", "full avg10", "full avg60"]
    ),
    (
        "cgroup v2 files that are not numbers",
        [
            "proc/self/cgroup": Array("0::/workflow\n".utf8), "sys/fs/cgroup/workflow/memory.max": Array("lots\n".utf8),
            "sys/fs/cgroup/workflow/memory.current": Array("-5\n".utf8),
        ],
        ["cgroupLimit", "cgroupUsage"], ["memory.max", "memory.current", "memory.high"]
    ),
    (
        "binary garbage in every file",
        [
            "proc/meminfo": [0xFF, 0x00, 0x3A, 0xFE, 0x0A], "proc/pressure/memory": [0x00, 0xC3, 0x28, 0x0A],
            "proc/self/cgroup": [0x3A, 0x3A, 0xFF, 0x0A],
        ],
        ["total", "available", "pressure", "cgroupVersion"], ["MemTotal", "some", "malformed"]
    ),
]

let systemCases: [BadInputCase] =
    badMonitorSettings.map { input, interval, thresholds in
        BadInputCase("MemoryMonitor", input, .error(.invalidConfiguration)) { probe in
            await probe.attempt {
                _ = try MemoryMonitor(interval: interval, thresholds: thresholds, source: { SystemMemory() })
            }
        }
    }
    + badMonitorForecasts.map { input, horizon, window, withBudget in
        BadInputCase("MemoryMonitor", input, .error(.invalidConfiguration)) { probe in
            let budget = withBudget ? try MemoryBudget(name: "engine", limit: 1 << 20) : nil
            return await probe.attempt {
                _ = try MemoryMonitor(
                    budget: budget, forecastHorizon: horizon, forecastWindow: window, source: { SystemMemory() })
            }
        }
    }
    + garbageSystemFiles.map { input, files, unknown, mentions in
        let fields = unknown.map { "`\($0)`" }
        return BadInputCase(
            "SystemMemory", "`read(root:)` of \(input)",
            .noError("field nil + note (\(fields.joined(separator: ", ")))")
        ) { probe in
            try await withFileTree(files) { root in
                var memory = SystemMemory()
                let error = await probe.attempt("a value, read anew each time") {
                    memory = SystemMemory.read(root: root)
                }
                try memory.expectUnknown(unknown, notesMentioning: mentions)
                return error
            }
        }
    }
    + forecasterCases

/// The bad settings a forecaster refuses, as (input, window, maxAge).
private let badForecasterSettings: [(String, Int, Duration?)] = [
    ("`window: 0`", 0, nil),
    ("`window: -1`", -1, nil),
    ("`window: 1` (a line needs two samples)", 1, nil),
    ("`window: Int.max` (storage of 2^67 bytes)", .max, nil),
    ("`maxAge: .zero`", 60, .zero),
    ("`maxAge: .seconds(-1)`", 60, .seconds(-1)),
]

/// A forecaster holding samples of 100 and 200 bytes at 4 s and 5 s.
private func forecasterWithTwoSamples() throws -> UsageForecaster {
    let forecaster = try UsageForecaster(window: 8)
    try forecaster.record(used: 100, at: .seconds(4))
    try forecaster.record(used: 200, at: .seconds(5))
    return forecaster
}

private let forecasterCases: [BadInputCase] =
    badForecasterSettings.map { input, window, maxAge in
        BadInputCase("UsageForecaster", input, .error(.invalidConfiguration)) { probe in
            await probe.attempt { _ = try UsageForecaster(window: window, maxAge: maxAge) }
        }
    } + [
        BadInputCase("UsageForecaster", "`record(used:at:)` earlier than the newest sample", .error(.invalidState)) {
            probe in
            let forecaster = try forecasterWithTwoSamples()
            return await probe.attempt(observing: forecaster.observedState) {
                try forecaster.record(used: 900, at: .seconds(4))
            }
        },
        BadInputCase("UsageForecaster", "`record(used: -1, at:)`", .error(.invalidLayout)) { probe in
            let forecaster = try forecasterWithTwoSamples()
            return await probe.attempt(observing: forecaster.observedState) {
                try forecaster.record(used: -1, at: .seconds(6))
            }
        },
    ]
