import NebulaMemory
import Testing

// The bad-input cases of the memory registry: a refused name, a name taken by another live
// object, and names that would break the exposition format unescaped. The state observed is
// what the registry holds under the name of the object registered first.

/// A registry holding one budget of limit 1000 under "workflow".
private final class RegistryFixture {
    let registry = MemoryRegistry()
    let holder: MemoryBudget
    let other: MemoryBudget

    init() throws(AllocError) {
        holder = try MemoryBudget(name: "holder", limit: 1000)
        other = try MemoryBudget(name: "other", limit: 2000)
        try registry.register(holder, as: "workflow")
    }

    var observedState: ObservedState {
        let snapshot = registry.snapshot()
        return ObservedState([
            "names": registry.names.count,
            "limit under workflow": snapshot["workflow"]?.report.budget?.limitBytes ?? -1,
        ])
    }
}

let observabilityCases: [BadInputCase] = [
    BadInputCase("MemoryRegistry", "`register(_:as: \"\")`", .error(.invalidConfiguration)) { probe in
        let fixture = try RegistryFixture()
        return await probe.attempt(observing: fixture.observedState) {
            try fixture.registry.register(fixture.other, as: "")
        }
    },
    BadInputCase(
        "MemoryRegistry", "`register(_:as:)` under a name another live object holds",
        .noError("registered as `workflow-2`; the holder keeps `workflow`")
    ) { probe in
        let fixture = try RegistryFixture()
        var name = ""
        let error = await probe.attempt("registering adds a name") {
            name = try fixture.registry.register(fixture.other, as: "workflow")
        }
        let snapshot = fixture.registry.snapshot()
        guard name == "workflow-2", snapshot["workflow"]?.report.budget?.limitBytes == 1000,
            snapshot["workflow-2"]?.report.budget?.limitBytes == 2000
        else { throw BadInputCheckFailure("registered as \(name): \(snapshot.entries.map(\.name))") }
        return error
    },
    BadInputCase(
        "MemoryRegistry", "a name with `\"`, `\\` and a line feed",
        .noError("kept as given; escaped in the Prometheus text, which parses back to it")
    ) { probe in
        let fixture = try RegistryFixture()
        let odd = "wf \"a\"\\b\nc"
        let error = await probe.attempt("registering adds a name") {
            try fixture.registry.register(fixture.other, as: odd)
        }
        let parsed = try PrometheusText(fixture.registry.snapshot().prometheusText())
        guard parsed.value("nebula_memory_budget_limit_bytes", name: odd) == 2000 else {
            throw BadInputCheckFailure("the escaped name did not parse back")
        }
        return error
    },
]
