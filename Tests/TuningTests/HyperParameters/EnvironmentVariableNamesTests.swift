import Foundation
import Testing
import Tuning

/// Hyperparameter names as environment variables: always a name a POSIX shell can assign, and
/// collisions found.
struct EnvironmentVariableNamesTests {
    @Test func everyNameGivesAValidShellVariable() {
        let cases = [
            ("learning_rate", "TUNER_HP_LEARNING_RATE"), ("learning-rate", "TUNER_HP_LEARNING_RATE"),
            ("layers.0", "TUNER_HP_LAYERS_0"), ("taux_é", "TUNER_HP_TAUX__U00E9"), ("x", "TUNER_HP_X"),
            ("0", "TUNER_HP_0"), ("日", "TUNER_HP__U65E5"), ("😀", "TUNER_HP__U1F600"), ("a b=c", "TUNER_HP_A_B_C"),
        ]
        for (name, variable) in cases { #expect(EnvironmentVariableNames.variable(for: name) == variable) }
        // Characters Swift counts as letters but the shell does not (ß upper-cases to SS, İ, Greek).
        for name in ["straße", "İ", "λ", "e\u{301}", "ﬁ", "\u{0}", "$(x)", "'", ""] {
            let variable = EnvironmentVariableNames.variable(for: name)
            let valid = variable.first.map { $0.isASCII && $0.isLetter } == true
                && variable.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            #expect(valid, "\(name) → \(variable)")
        }
    }

    @Test func collidingNamesAreFoundWithBothNames() {
        let collisions = EnvironmentVariableNames.collisions(in: ["a=b", "x", "a_b", "A=B", "y"])
        #expect(collisions.map(\.second) == ["a_b", "A=B"])
        #expect(collisions.allSatisfy { $0.first == "a=b" && $0.variable == "TUNER_HP_A_B" })
        #expect(collisions[0].description.contains("\"a=b\" and \"a_b\""))
        #expect(EnvironmentVariableNames.collisions(in: ["units", "learning_rate", "dropout"]).isEmpty)
    }
}
