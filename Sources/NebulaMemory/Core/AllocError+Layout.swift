// Out-of-line builders for request errors: inlined hot paths call these on their cold branch only.

extension AllocError {
    @usableFromInline
    @inline(never)
    static func negativeSize(_ size: Int, alignment: Int) -> AllocError {
        AllocError(
            .invalidLayout, "size must not be negative",
            suggestion: "pass a size of 0 or more",
            notes: ["size: \(size)", "alignment: \(alignment)"])
    }

    @usableFromInline
    @inline(never)
    static func badAlignment(size: Int, alignment: Int) -> AllocError {
        AllocError(
            .invalidAlignment, "alignment \(alignment) is not a power of two in 1...\(Layout.maximumAlignment)",
            notes: ["size: \(size)", "alignment: \(alignment)"])
    }

    @usableFromInline
    @inline(never)
    static func sizeOverflow(size: Int, alignment: Int) -> AllocError {
        AllocError(
            .sizeOverflow, "size \(size) rounded up to alignment \(alignment) overflows Int",
            notes: ["size: \(size)", "alignment: \(alignment)"])
    }

    @usableFromInline
    @inline(never)
    static func negativeCount(_ count: Int, type: String) -> AllocError {
        AllocError(
            .invalidLayout, "element count must not be negative",
            suggestion: "pass a count of 0 or more",
            notes: ["count: \(count)", "element type: \(type)"])
    }

    @usableFromInline
    @inline(never)
    static func countOverflow(_ count: Int, stride: Int, type: String) -> AllocError {
        AllocError(
            .sizeOverflow, "\(count) elements of \(stride) bytes overflow Int",
            notes: ["count: \(count)", "stride: \(stride)", "element type: \(type)"])
    }
}
