import NebulaMemory
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a tree of files (paths relative to its root → contents) under the temporary
/// directory, runs `body` with its root, then removes it.
///
/// ```swift
/// try withSystemMemoryFixture(["proc/meminfo": "MemTotal: 1 kB\n"]) { root in
///     #expect(SystemMemory.read(root: root).total == 1024)
/// }
/// ```
private func withSystemMemoryFixture<R>(_ files: [String: String], _ body: (String) throws -> R) throws -> R {
    let tree = try FileTree(files.map { (key: $0.key, value: Array($0.value.utf8)) }, prefix: "nebula-systemmemory")
    defer { tree.remove() }
    return try body(tree.root)
}

/// A `/proc/meminfo` as Linux writes it (abridged).
private let meminfoFixture = """
    MemTotal:       24684092 kB
    MemFree:        22306488 kB
    MemAvailable:   24277064 kB
    Buffers:           11660 kB
    Cached:          2026716 kB
    HugePages_Total:       0

    """

/// A PSI file of an idle machine.
private let idlePressureFixture = """
    some avg10=0.00 avg60=0.00 avg300=0.00 total=0
    full avg10=0.00 avg60=0.00 avg300=0.00 total=0

    """

/// A cgroup v2 fixture: the process in `/app.slice/web.service` with the given memory files.
private func cgroupV2Fixture(max: String, high: String = "max\n", current: String = "4096\n") -> [String: String] {
    let directory = "sys/fs/cgroup/app.slice/web.service/"
    return [
        "proc/self/cgroup": "0::/app.slice/web.service\n",
        directory + "memory.max": max,
        directory + "memory.high": high,
        directory + "memory.current": current,
    ]
}

/// A cgroup v1 fixture: the process in `/docker/abc` of the memory controller.
private func cgroupV1Fixture(limit: String, usage: String = "5140480\n") -> [String: String] {
    [
        "proc/self/cgroup": "12:pids:/docker/abc\n4:memory:/docker/abc\n1:cpu,cpuacct:/docker/abc\n",
        "sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": limit,
        "sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes": usage,
    ]
}

/// Whether some note mentions `fragment`.
private func notes(_ memory: SystemMemory, mention fragment: String) -> Bool {
    memory.notes.contains { $0.contains(fragment) }
}

private let gibibyte = 1 << 30
private let mebibyte = 1 << 20

@Suite("SystemMemory")
struct SystemMemoryTests {
    // MARK: - /proc/meminfo

    @Test func meminfoIsReadInBytes() throws {
        let memory = try withSystemMemoryFixture(["proc/meminfo": meminfoFixture]) { SystemMemory.read(root: $0) }
        #expect(memory.total == 24_684_092 * 1024)
        #expect(memory.available == 24_277_064 * 1024)
        #expect(memory.used == (24_684_092 - 24_277_064) * 1024)
        #expect(!notes(memory, mention: "meminfo"), "\(memory.notes)")
    }

    @Test func trailingSlashInRootIsAccepted() throws {
        let memory = try withSystemMemoryFixture(["proc/meminfo": meminfoFixture]) {
            SystemMemory.read(root: $0 + "//")
        }
        #expect(memory.total == 24_684_092 * 1024)
    }

    @Test(arguments: [
        "MemTotal:       abcdef kB\nMemAvailable:   1000 kB\n",  // letters
        "",  // empty file
        "MemTotal:       24684092\nMemAvailable:   1000 kB\n",  // truncated: no unit
        "MemAvailable:   1000 kB\nMemTot",  // truncated: no MemTotal line
        "MemTotal:       -24684092 kB\nMemAvailable:   1000 kB\n",  // negative
        "MemTotal:       99999999999999999999 kB\nMemAvailable:   1000 kB\n",  // overflows
        "MemTotal:       9007199254740993 kB\nMemAvailable:   1000 kB\n",  // overflows as bytes
        "MemTotal:       1000 MB\nMemAvailable:   1000 kB\n",  // unknown unit
    ])
    func malformedMemTotalIsNilWithANote(meminfo: String) throws {
        let memory = try withSystemMemoryFixture(["proc/meminfo": meminfo]) { SystemMemory.read(root: $0) }
        #expect(memory.total == nil)
        #expect(memory.used == nil)
        #expect(notes(memory, mention: "MemTotal"), "\(memory.notes)")
        if !meminfo.isEmpty {
            #expect(memory.available == 1000 * 1024)
        }
    }

    @Test func missingMemAvailableIsNilWithANote() throws {
        let memory = try withSystemMemoryFixture(["proc/meminfo": "MemTotal:       2048 kB\n"]) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.total == 2048 * 1024)
        #expect(memory.available == nil)
        #expect(memory.used == nil)
        #expect(notes(memory, mention: "MemAvailable"), "\(memory.notes)")
    }

    @Test func availableAboveTotalGivesNoUsedAndANote() throws {
        let meminfo = "MemTotal:       1000 kB\nMemAvailable:   2000 kB\n"
        let memory = try withSystemMemoryFixture(["proc/meminfo": meminfo]) { SystemMemory.read(root: $0) }
        #expect(memory.total == 1000 * 1024)
        #expect(memory.available == 2000 * 1024)
        #expect(memory.used == nil)
        #expect(notes(memory, mention: "exceeds MemTotal"), "\(memory.notes)")
    }

    // MARK: - cgroup v2

    @Test func cgroupV2NumericFilesAreRead() throws {
        let files = cgroupV2Fixture(max: "536870912\n", high: "402653184\n", current: "123456789\n")
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v2)
        #expect(memory.cgroupLimit == 512 * mebibyte)
        #expect(memory.cgroupHigh == 384 * mebibyte)
        #expect(memory.cgroupUsage == 123_456_789)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test func cgroupV2MaxMeansNoLimit() throws {
        let memory = try withSystemMemoryFixture(cgroupV2Fixture(max: "max\n", high: "max\n", current: "8192\n")) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.cgroupVersion == .v2)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupHigh == nil)
        #expect(memory.cgroupUsage == 8192)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test func cgroupV2FallsBackToTheTopOfTheHierarchy() throws {
        // A container without a cgroup namespace: the host's path has no memory.max here.
        let files = [
            "proc/self/cgroup": "0::/system.slice/docker-abc.scope\n",
            "sys/fs/cgroup/system.slice/docker-abc.scope/cgroup.procs": "1\n",
            "sys/fs/cgroup/memory.max": "1073741824\n",
            "sys/fs/cgroup/memory.high": "max\n",
            "sys/fs/cgroup/memory.current": "65536\n",
        ]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v2)
        #expect(memory.cgroupLimit == gibibyte)
        #expect(memory.cgroupUsage == 65536)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test func cgroupV2WithoutMemoryControllerIsNilWithANote() throws {
        let files = ["proc/self/cgroup": "0::/user.slice\n", "sys/fs/cgroup/user.slice/cgroup.procs": "1\n"]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v2)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == nil)
        #expect(notes(memory, mention: "no memory.max"), "\(memory.notes)")
    }

    @Test(arguments: ["", "lots\n", "-1\n", "12 34\n", "0x1000\n", "1.5G\n", "536870912 kB\n"])
    func malformedMemoryMaxIsNilWithANote(contents: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV2Fixture(max: contents)) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v2)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == 4096, "the other files are still read")
        #expect(notes(memory, mention: "memory.max"), "\(memory.notes)")
    }

    @Test(arguments: ["", "high\n", "-4096\n"])
    func malformedMemoryHighIsNilWithANote(contents: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV2Fixture(max: "4096\n", high: contents)) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.cgroupLimit == 4096)
        #expect(memory.cgroupHigh == nil)
        #expect(notes(memory, mention: "memory.high"), "\(memory.notes)")
    }

    @Test(arguments: ["", "max\n", "-1\n", "12ab\n", "99999999999999999999\n"])
    func malformedMemoryCurrentIsNilWithANote(contents: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV2Fixture(max: "8192\n", current: contents)) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.cgroupLimit == 8192)
        #expect(memory.cgroupUsage == nil)
        #expect(memory.effectiveAvailable == nil, "a limit without usage gives no headroom")
        #expect(notes(memory, mention: "memory.current"), "\(memory.notes)")
    }

    @Test func missingMemoryCurrentIsNilWithANote() throws {
        var files = cgroupV2Fixture(max: "8192\n")
        files["sys/fs/cgroup/app.slice/web.service/memory.current"] = nil
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupLimit == 8192)
        #expect(memory.cgroupUsage == nil)
        #expect(notes(memory, mention: "memory.current: missing"), "\(memory.notes)")
    }

    // MARK: - cgroup v1

    @Test func cgroupV1LimitAndUsageAreRead() throws {
        let memory = try withSystemMemoryFixture(cgroupV1Fixture(limit: "268435456\n")) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == 256 * mebibyte)
        #expect(memory.cgroupHigh == nil)
        #expect(memory.cgroupUsage == 5_140_480)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test(arguments: [
        "9223372036854771712\n",  // Int64.max rounded down to 4 KiB pages
        "9223372036854710272\n",  // ... to 64 KiB pages
        "9223372036854775807\n",  // Int64.max
        "18446744073709551615\n",  // UInt64.max
    ])
    func cgroupV1HugeLimitMeansNoLimit(limit: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV1Fixture(limit: limit)) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == 5_140_480)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test func cgroupV1IsUsedWhenAHybridSystemHasNoV2MemoryFiles() throws {
        // The layout of a hybrid host: a v2 entry, but memory stays on the v1 controller.
        let files = [
            "proc/self/cgroup": "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n0::/\n",
            "sys/fs/cgroup/unified/cgroup.procs": "1\n",
            "sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "9223372036854771712\n",
            "sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes": "5140480\n",
        ]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == 5_140_480)
        #expect(!notes(memory, mention: "cgroup"), "\(memory.notes)")
    }

    @Test func cgroupV1FallsBackToTheTopOfTheHierarchy() throws {
        let files = [
            "proc/self/cgroup": "7:memory,hugetlb:/kubepods/pod1/abc\n",
            "sys/fs/cgroup/memory/memory.limit_in_bytes": "2147483648\n",
            "sys/fs/cgroup/memory/memory.usage_in_bytes": "1048576\n",
        ]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == 2 * gibibyte)
        #expect(memory.cgroupUsage == mebibyte)
    }

    @Test(arguments: ["", "unlimited\n", "max\n", "-1\n", "12\n34\n"])
    func malformedV1LimitIsNilWithANote(limit: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV1Fixture(limit: limit)) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == 5_140_480)
        #expect(notes(memory, mention: "memory.limit_in_bytes"), "\(memory.notes)")
    }

    @Test(arguments: ["", "abc\n", "-5140480\n"])
    func malformedV1UsageIsNilWithANote(usage: String) throws {
        let memory = try withSystemMemoryFixture(cgroupV1Fixture(limit: "4096\n", usage: usage)) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.cgroupLimit == 4096)
        #expect(memory.cgroupUsage == nil)
        #expect(notes(memory, mention: "memory.usage_in_bytes"), "\(memory.notes)")
    }

    @Test func missingV1FilesAreNilWithANote() throws {
        let files = ["proc/self/cgroup": "4:memory:/docker/abc\n"]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == .v1)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == nil)
        #expect(notes(memory, mention: "no memory.limit_in_bytes"), "\(memory.notes)")
    }

    @Test(arguments: ["", "garbage\n", "x::/\n", "0::relative/path\n", "4:memory\n", "3:cpu:/\n"])
    func malformedProcSelfCgroupIsNilWithANote(contents: String) throws {
        var files = cgroupV2Fixture(max: "4096\n")
        files["proc/self/cgroup"] = contents
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.cgroupVersion == nil)
        #expect(memory.cgroupLimit == nil)
        #expect(memory.cgroupUsage == nil)
        #expect(notes(memory, mention: "proc/self/cgroup"), "\(memory.notes)")
    }

    // MARK: - /proc/pressure/memory

    @Test func pressureSomeAndFullAreRead() throws {
        let psi = """
            some avg10=1.50 avg60=0.25 avg300=0.10 total=123456
            full avg10=0.75 avg60=12.00 avg300=0.00 total=6789

            """
        let memory = try withSystemMemoryFixture(["proc/pressure/memory": psi]) { SystemMemory.read(root: $0) }
        #expect(
            memory.pressure == SystemMemory.Pressure(someAvg10: 1.5, someAvg60: 0.25, fullAvg10: 0.75, fullAvg60: 12)
        )
        #expect(!notes(memory, mention: "pressure"), "\(memory.notes)")
    }

    @Test func idlePressureIsZero() throws {
        let memory = try withSystemMemoryFixture(["proc/pressure/memory": idlePressureFixture]) {
            SystemMemory.read(root: $0)
        }
        #expect(memory.pressure == SystemMemory.Pressure(someAvg10: 0, someAvg60: 0, fullAvg10: 0, fullAvg60: 0))
    }

    @Test func missingPressureIsNilWithANote() throws {
        let memory = try withSystemMemoryFixture(["proc/meminfo": meminfoFixture]) { SystemMemory.read(root: $0) }
        #expect(memory.pressure == nil)
        #expect(notes(memory, mention: "pressure/memory: missing"), "\(memory.notes)")
        #expect(memory.total != nil, "the other files are still read")
    }

    @Test(arguments: [
        "",  // empty file
        "garbage\n",  // letters
        "some avg10=abc avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60",  // truncated
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",  // no full line
        "some avg10=nan avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        "some avg10=250.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
    ])
    func malformedPressureIsNilWithANote(psi: String) throws {
        let memory = try withSystemMemoryFixture(["proc/pressure/memory": psi]) { SystemMemory.read(root: $0) }
        #expect(memory.pressure == nil)
        #expect(notes(memory, mention: "pressure/memory"), "\(memory.notes)")
    }

    // MARK: - Whole snapshots

    @Test func fullFixtureReadsEveryField() throws {
        var files = cgroupV2Fixture(max: "1073741824\n", high: "805306368\n", current: "268435456\n")
        files["proc/meminfo"] = meminfoFixture
        files["proc/pressure/memory"] = idlePressureFixture
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory.notes == [])
        #expect(memory.effectiveLimit == gibibyte)
        #expect(memory.effectiveAvailable == 768 * mebibyte)
        #expect(memory.pressure != nil)
    }

    @Test func emptyRootGivesNilFieldsAndNotes() throws {
        let memory = try withSystemMemoryFixture([:]) { SystemMemory.read(root: $0) }
        let empty = SystemMemory(notes: memory.notes)
        #expect(memory == empty)
        #expect(notes(memory, mention: "proc/meminfo"), "\(memory.notes)")
        #expect(notes(memory, mention: "proc/pressure/memory"), "\(memory.notes)")
        #expect(notes(memory, mention: "proc/self/cgroup"), "\(memory.notes)")
    }

    @Test func directoriesInPlaceOfFilesAreNilWithANote() throws {
        // "proc/meminfo/x" makes meminfo a directory: open succeeds, read fails with EISDIR.
        let files = ["proc/meminfo/x": "", "proc/pressure/memory/x": "", "proc/self/cgroup/x": ""]
        let memory = try withSystemMemoryFixture(files) { SystemMemory.read(root: $0) }
        #expect(memory == SystemMemory(notes: memory.notes))
        #expect(memory.notes.count == 3, "\(memory.notes)")
    }

    // MARK: - Effective limit and availability

    @Test func withoutACgroupLimitTheMachineBinds() {
        let memory = SystemMemory(total: 16 * gibibyte, available: 10 * gibibyte, cgroupVersion: .v2, cgroupUsage: 42)
        #expect(memory.used == 6 * gibibyte)
        #expect(memory.effectiveLimit == 16 * gibibyte)
        #expect(memory.effectiveAvailable == 10 * gibibyte)
    }

    @Test func aCgroupLimitBelowTotalBinds() {
        let memory = SystemMemory(
            total: 16 * gibibyte, available: 10 * gibibyte, cgroupVersion: .v2, cgroupLimit: 2 * gibibyte,
            cgroupUsage: 512 * mebibyte)
        #expect(memory.effectiveLimit == 2 * gibibyte)
        #expect(memory.effectiveAvailable == 1536 * mebibyte)
    }

    @Test func aCgroupLimitAboveTotalIsCappedByTheMachine() {
        let memory = SystemMemory(
            total: 16 * gibibyte, available: 10 * gibibyte, cgroupVersion: .v1, cgroupLimit: 64 * gibibyte,
            cgroupUsage: gibibyte)
        #expect(memory.effectiveLimit == 16 * gibibyte)
        #expect(memory.effectiveAvailable == 10 * gibibyte)
    }

    @Test func usageAboveTheLimitLeavesNothing() {
        let memory = SystemMemory(cgroupLimit: gibibyte, cgroupUsage: gibibyte + 4096)
        #expect(memory.effectiveLimit == gibibyte)
        #expect(memory.effectiveAvailable == 0)
    }

    @Test func aCgroupLimitWithoutUsageHasUnknownHeadroom() {
        let memory = SystemMemory(total: 16 * gibibyte, available: 10 * gibibyte, cgroupLimit: gibibyte)
        #expect(memory.effectiveLimit == gibibyte)
        #expect(memory.effectiveAvailable == nil)
    }

    @Test func nothingKnownGivesNil() {
        let memory = SystemMemory()
        #expect(memory.used == nil)
        #expect(memory.effectiveLimit == nil)
        #expect(memory.effectiveAvailable == nil)
    }

    // MARK: - This machine

    @Test func readsThisMachine() throws {
        let memory = SystemMemory.read()
        let total = try #require(memory.total, "\(memory.notes)")
        #expect(total > 0)
        if let available = memory.available {
            #expect(available <= total)
            #expect(memory.used == total - available)
        }
        if let limit = memory.effectiveLimit {
            #expect(limit <= total)
        }
    }
}
