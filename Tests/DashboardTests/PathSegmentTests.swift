@testable import Dashboard
import Testing

/// Study names in URL paths: injective, and never a dot segment a browser would remove.
@Suite("Path segments")
struct PathSegmentTests {
    static let names = [
        "mnist", "a b", "a/b", "a%2Fb", "%", "?x=1", "#top", ".", "..", "...", "~", "~.", "~..", ".hidden", "x.y",
        "名前", "é", "e\u{301}", "<script>", "a+b", "a&b=c", "tab\tname", Hostile.studyName, String(repeating: "z", count: 200),
    ]

    @Test(arguments: names)
    func aNameRoundTripsThroughItsSegment(_ name: String) {
        let segment = PathSegment.encode(name)
        #expect(PathSegment.decode(segment[...]) == name)
        // Only characters that are the same in every URL: no `/`, `?`, `#`, `%` other than escapes, no space.
        #expect(segment.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.~%".unicodeScalars.contains($0)) })
        // Never a dot segment (browsers drop those from a path, however they are encoded).
        #expect(![".", "..", "%2E", "%2E%2E", ".%2E", "%2E."].contains(segment))
    }

    @Test func differentNamesHaveDifferentSegments() {
        let segments = Self.names.map(PathSegment.encode)
        #expect(Set(segments).count == Self.names.count)
    }

    @Test func precomposedAndDecomposedAccentsStayDifferentStudies() {
        #expect(PathSegment.encode("é") != PathSegment.encode("e\u{301}"))
        #expect(PathSegment.decode(PathSegment.encode("e\u{301}")[...])?.unicodeScalars.count == 2)
    }

    @Test(arguments: ["%", "%4", "%G1", "a%zz", "%FF", "%C3", "%C3%28", "%ED%A0%80"])
    func aMalformedSegmentDecodesToNothing(_ segment: String) {
        #expect(PathSegment.decode(segment[...]) == nil)
    }

    @Test func otherValidEncodingsDecodeToo() {
        #expect(PathSegment.decode("%6d%6E%69st") == "mnist")
        #expect(PathSegment.decode("a b") == "a b")
    }

    @Test func trialColumnsSurviveTheirQueryValue() throws {
        let columns = TrialColumns(studyName: "s", parameters: ["a,b", "c", "", "%2C", Hostile.choice], objectives: ["o"])
        #expect(TrialColumns.parameters(fromQueryValue: columns.queryValue) == columns.parameters)
        #expect(TrialColumns.parameters(fromQueryValue: "a,%ZZ") == nil)
    }
}
