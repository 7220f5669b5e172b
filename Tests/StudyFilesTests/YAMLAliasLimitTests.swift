import Foundation
import StudyFiles
import Tuning
import Testing

/// A valid command study; `extra` is appended at the top level (under keys validation rejects or uses).
private func commandStudy(hyperparameters: String = "  x: { type: float, min: 0, max: 1 }", extra: String = "") -> String {
    """
    name: t
    objective: { metric: loss, direction: min }
    oracle: { type: random, max_trials: 3 }
    hyperparameters:
    \(hyperparameters)
    command:
      run: echo {x}
    \(extra)
    """
}

/// The issue's "billion laughs": `levels` anchors, each a list of ten aliases to the one before
/// (`a1: &a1 [*a0, *a0, ...]`), 10^levels values once expanded.
private func aliasBomb(levels: Int = 10, key: (Int) -> String = { "a\($0)" }) -> String {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in 1..<levels {
        let aliases = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
        lines.append("\(key(level)): &a\(level) [\(aliases)]")
    }
    return lines.joined(separator: "\n")
}

@Suite struct YAMLAliasLimitTests {
    @Test func anAliasBombUnderAnUnknownKeyIsRefusedFastAtTheLineThatCrossesTheLimit() throws {
        // Nested under an unknown key, as in the issue: validation never looks at it, the parser must.
        let bomb = aliasBomb().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let yaml = commandStudy(extra: "laughs:\n" + bomb)
        #expect(yaml.utf8.count < 1000)
        let start = ContinuousClock.now
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "bomb.yaml") }
        #expect(ContinuousClock.now - start < .seconds(1))
        // a0 holds 11 values, a1 111, a2 1,111, a3 11,111: the 100,000th value is inside a4's list.
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let a4Line = try #require(lines.firstIndex { $0.contains("a4: &a4") }) + 1
        #expect(error?.issues.count == 1)
        #expect(error?.line == a4Line)
        #expect(error?.message.contains("aliases expand to more than 100,000 values") == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("bomb.yaml:\(a4Line):") == true, "\(String(describing: error))")
    }

    @Test func aBombUsedAsAMappingKeyIsRefusedBeforeYamsHashesIt() throws {
        // Yams hashes mapping keys while composing; hashing *a9 would visit 10^10 nodes.
        let yaml = commandStudy(extra: "defs:\n" + aliasBomb().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            + "\nkeyed: { ? *a9 : 1 }")
        let start = ContinuousClock.now
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "keyed.yaml") }
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(error?.message.contains("aliases expand to more than 100,000 values") == true, "\(String(describing: error))")
    }

    @Test func tooManyAliasUsesAreRefused() throws {
        let aliases = Array(repeating: "*one", count: 10_001).joined(separator: ", ")
        let yaml = commandStudy(extra: "defs: { a: &one 1, list: [\(aliases)] }")
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "many.yaml") }
        #expect(error?.message.contains("more than 10,000 aliases") == true, "\(String(describing: error))")
        #expect(error?.line == 8)
    }

    @Test func nestingTooDeepIsRefusedInsteadOfOverflowingTheStack() throws {
        let depth = 100_000
        let yaml = commandStudy(extra: "deep: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "deep.yaml") }
        #expect(error?.message == "lists and mappings nest more than 1,000 levels deep; a study file needs far fewer — flatten the structure")
        #expect(error?.line == 8)
    }

    @Test func nestingJustUnderLibyamlsLimitIsConvertedWithoutOverflowingTheStack() throws {
        // libyaml accepts up to 1,000 levels; composing and converting recurse once per level.
        let depth = 990
        let yaml = commandStudy(extra: "deep: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "deep.yaml") }
        #expect(error?.message.contains("unknown key \"deep\"") == true, "\(String(describing: error))")
    }

    @Test func ordinaryAnchorsAndAliasesStillWork() throws {
        let yaml = commandStudy(hyperparameters: """
              x: &unit { type: float, min: 0, max: 1 }
              y: *unit
              z: { type: choice, values: &sizes [16, 32, 64] }
              w: { type: choice, values: *sizes }
            """)
        let study = try StudyFile.parse(yaml: yaml, fileName: "anchors.yaml")
        #expect(study.hyperparameters.map(\.name) == ["x", "y", "z", "w"])
        #expect(study.hyperparameters[1].kind == study.hyperparameters[0].kind)
        #expect(study.hyperparameters[3].kind == study.hyperparameters[2].kind)
    }

    @Test func aFileWellUnderTheLimitsIsJudgedOnlyByItsKeys() throws {
        // Four levels: 11,111 values and 30 alias uses, well within the limits, still accepted.
        let yaml = commandStudy(extra: "x_defs:\n" + aliasBomb(levels: 4).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let error = #expect(throws: StudyFileError.self) { try StudyFile.parse(yaml: yaml, fileName: "big.yaml") }
        // Refused only as an unknown key, not for its aliases.
        #expect(error?.issues.count == 1)
        #expect(error?.message.contains("unknown key \"x_defs\"") == true, "\(String(describing: error))")
    }
}
