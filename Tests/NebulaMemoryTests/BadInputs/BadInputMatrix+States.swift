import NebulaMemory

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// What the bad-input matrix compares before and after a bad call, for each type it tries: every
// public count and size, and every statistic but the failure counters.

extension AllocatorStatistics {
    var observedState: ObservedState {
        ObservedState([
            "statistics.allocations": allocations, "statistics.deallocations": deallocations,
            "statistics.bytesInUse": bytesInUse, "statistics.peakBytesInUse": peakBytesInUse,
            "statistics.resets": resets,
        ])
    }
}

extension AllocatorStatistics? {
    var observedState: ObservedState { self?.observedState ?? ObservedState(["statistics": 0]) }
}

extension BumpAllocator {
    var observedState: ObservedState {
        ObservedState(["used": used, "capacity": capacity, "available": available]) + statistics.observedState
    }
}

extension StackAllocator {
    var observedState: ObservedState {
        ObservedState(["used": used, "available": available]) + statistics.observedState
    }
}

extension PoolAllocator {
    var observedState: ObservedState {
        ObservedState(["blockCount": blockCount, "usedBlockCount": usedBlockCount, "freeBlockCount": freeBlockCount])
            + statistics.observedState
    }
}

extension ConcurrentBumpAllocator {
    var observedState: ObservedState {
        ObservedState(["used": used, "capacity": capacity, "available": available]) + statistics.observedState
    }
}

extension ConcurrentPoolAllocator {
    var observedState: ObservedState {
        ObservedState(["blockCount": blockCount, "usedBlockCount": usedBlockCount, "freeBlockCount": freeBlockCount])
            + statistics.observedState
    }
}

extension MemoryBudget {
    /// Named by the budget's path, so that a hierarchy's levels can be listed side by side.
    var observedState: ObservedState {
        ObservedState([
            "used": used, "limit": limit, "peak": peak, "reservedAhead": reservedAhead,
            "reservations": statistics.reservations,
        ]).prefixed(path)
    }
}

extension BudgetedAllocator where Base == BumpAllocator {
    var observedState: ObservedState {
        ObservedState(["chargedBytes": chargedBytes]) + base.observedState.prefixed("base") + budget.observedState
    }
}

extension ObjectPoolStatistics {
    var observedState: ObservedState {
        ObservedState([
            "statistics.hits": hits, "statistics.misses": misses, "statistics.created": created,
            "statistics.discarded": discarded, "statistics.evicted": evicted, "statistics.peakInUse": peakInUse,
            "statistics.leaks": leaks, "statistics.detached": detached, "statistics.borrowed": borrowed,
        ])
    }
}

extension ObjectPool {
    var observedState: ObservedState {
        ObservedState(["idleCount": idleCount, "inUseCount": inUseCount])
            + (statistics?.observedState ?? ObservedState(["statistics": 0]))
    }
}

extension ConcurrentObjectPool {
    var observedState: ObservedState {
        ObservedState(["idleCount": idleCount, "inUseCount": inUseCount])
            + (statistics?.observedState ?? ObservedState(["statistics": 0]))
    }
}

extension AsyncObjectPool {
    var observedState: ObservedState {
        ObservedState(["idleCount": idleCount, "inUseCount": inUseCount, "waitingCount": waitingCount])
            + (statistics?.observedState ?? ObservedState(["statistics": 0]))
    }
}

/// Builds a tree of files (paths relative to its root → contents) under the temporary
/// directory, runs `body` with its root, then removes exactly what it made.
func withFileTree<R>(_ files: KeyValuePairs<String, [UInt8]>, _ body: (String) async throws -> R) async throws -> R {
    let tree = try FileTree(files.map { (key: $0.key, value: $0.value) }, prefix: "nebula-badinputs")
    defer { tree.remove() }
    return try await body(tree.root)
}

extension UsageForecaster {
    var observedState: ObservedState {
        let trend = self.trend
        return ObservedState([
            "sampleCount": trend.sampleCount, "latestUsed": trend.latestUsed,
            "latest (ms)": Int(trend.latest / .milliseconds(1)), "span (ms)": Int(trend.span / .milliseconds(1)),
        ])
    }
}

extension SystemMemory {
    /// The value of the field named `name`, or nil when it is unknown.
    func field(_ name: String) -> (any Sendable)? {
        switch name {
        case "total": total
        case "available": available
        case "pressure": pressure
        case "cgroupVersion": cgroupVersion
        case "cgroupLimit": cgroupLimit
        case "cgroupHigh": cgroupHigh
        case "cgroupUsage": cgroupUsage
        default: "no field named \(name)"
        }
    }

    /// Checks that the fields named in `fields` are nil and that a note mentions each of
    /// `mentions`; throws what is not so.
    func expectUnknown(_ fields: [String], notesMentioning mentions: [String]) throws {
        for name in fields {
            if let value = field(name) { throw BadInputCheckFailure("\(name) is \(value), expected nil") }
        }
        for mention in mentions where !notes.contains(where: { $0.contains(mention) }) {
            throw BadInputCheckFailure("no note mentions \(mention): \(notes)")
        }
    }
}
