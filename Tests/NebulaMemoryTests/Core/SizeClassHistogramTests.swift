import Foundation
import NebulaMemory
import Testing

@Suite("SizeClassHistogram")
struct SizeClassHistogramTests {
    @Test(arguments: [
        (0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (7, 3), (8, 4), (63, 6), (64, 7), (4096, 13),
        ((1 << 29) - 1, 29), (1 << 29, 30), ((1 << 30) - 1, 30), (1 << 30, 31), (Int.max, 31), (-5, 0),
    ])
    func aSizeFallsInTheClassOfItsPowerOfTwo(size: Int, sizeClass: Int) {
        #expect(SizeClassHistogram.sizeClass(of: size) == sizeClass)
    }

    @Test func theClassesCoverEverySizeOnceInOrder() {
        var next = 0
        for sizeClass in 0..<SizeClassHistogram.classCount {
            let sizes = SizeClassHistogram.sizes(inClass: sizeClass)
            #expect(sizes.lowerBound == next)
            #expect(SizeClassHistogram.sizeClass(of: sizes.lowerBound) == sizeClass)
            #expect(SizeClassHistogram.sizeClass(of: sizes.upperBound) == sizeClass)
            next = sizes.upperBound &+ 1
        }
        #expect(SizeClassHistogram.sizes(inClass: SizeClassHistogram.classCount - 1).upperBound == Int.max)
    }

    @Test func countsBeyondTheLastClassFoldIntoIt() {
        let histogram = SizeClassHistogram(counts: Array(repeating: 1, count: SizeClassHistogram.classCount + 3))
        #expect(histogram.counts.count == SizeClassHistogram.classCount)
        #expect(histogram[SizeClassHistogram.classCount - 1] == 4)
        #expect(histogram.total == SizeClassHistogram.classCount + 3)
    }

    @Test func encodesTheCountsUpToTheLastNonEmptyClassAndDecodesBack() throws {
        let histogram = SizeClassHistogram(counts: [0, 2, 0, 5])
        let data = try JSONEncoder().encode(histogram)
        #expect(String(decoding: data, as: UTF8.self) == "[0,2,0,5]")
        #expect(try JSONDecoder().decode(SizeClassHistogram.self, from: data) == histogram)
        #expect(histogram.nonEmptyClasses.map(\.sizes) == [1...1, 4...7])
        #expect(histogram.nonEmptyClasses.map(\.count) == [2, 5])
    }

    @Test(arguments: ["[1,-1]", "[" + Array(repeating: "1", count: 33).joined(separator: ",") + "]"])
    func decodingRejectsNegativeOrTooManyCounts(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SizeClassHistogram.self, from: Data(json.utf8))
        }
    }
}

@Suite("AllocatorStatistics")
struct AllocatorStatisticsShapeTests {
    @Test func roundTripsThroughJSONWithFailuresKeyedByCode() throws {
        let statistics = AllocatorStatistics(
            allocations: 3, deallocations: 1, bytesInUse: 96, peakBytesInUse: 128, failedAllocations: 4,
            failures: [.poolExhausted: 3, .invalidLayout: 1], resets: 2,
            sizeClasses: SizeClassHistogram(counts: [0, 0, 0, 0, 0, 0, 3]))
        let data = try JSONEncoder().encode(statistics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let failures = try #require(object["failures"] as? [String: Int])
        #expect(failures == ["ALLOC_POOL_EXHAUSTED": 3, "ALLOC_INVALID_LAYOUT": 1])
        #expect(try JSONDecoder().decode(AllocatorStatistics.self, from: data) == statistics)
    }

    @Test func decodingRejectsAnUnknownCode() {
        let json = """
            {"allocations":0,"deallocations":0,"bytesInUse":0,"peakBytesInUse":0,"failedAllocations":1,
             "failures":{"ALLOC_NOT_A_CODE":1},"resets":0}
            """
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AllocatorStatistics.self, from: Data(json.utf8))
        }
    }

    @Test func statisticsWithoutTheNewerFieldsStillDecode() throws {
        let json = """
            {"allocations":2,"deallocations":1,"bytesInUse":8,"peakBytesInUse":16,"failedAllocations":0,"resets":0}
            """
        let decoded = try JSONDecoder().decode(AllocatorStatistics.self, from: Data(json.utf8))
        #expect(decoded == AllocatorStatistics(allocations: 2, deallocations: 1, bytesInUse: 8, peakBytesInUse: 16))
    }
}

@Suite("SizeClassHistogram labels")
struct SizeClassHistogramLabelTests {
    @Test func labelsNameTheSmallestAndLargestSizeOfAClass() {
        #expect(SizeClassHistogram.label(ofClass: 0) == "0")
        #expect(SizeClassHistogram.label(ofClass: 1) == "1")
        #expect(SizeClassHistogram.label(ofClass: 2) == "2-3")
        #expect(SizeClassHistogram.label(ofClass: 7) == "64-127")
        #expect(SizeClassHistogram.label(ofClass: SizeClassHistogram.classCount - 1) == "1073741824+")
    }
}
