/// A sampled allocation not given back yet: what its site's live figures drop by when it is.
struct _LiveSample {
    let site: AllocationSite
    let count: Double
    let bytes: Double
}
