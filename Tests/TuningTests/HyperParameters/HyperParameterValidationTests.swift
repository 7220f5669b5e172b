import Testing
import Tuning

/// Every invalid definition fails with a typed error whose message names the parameter and the problem.
@Suite struct HyperParameterValidationTests {
    /// Runs `define`, expects a `HyperParameterError`, and returns its message.
    private func message(_ define: (HyperParameters) throws -> Void) -> String {
        let hp = HyperParameters()
        do {
            try define(hp)
        } catch let error as HyperParameterError {
            return error.description
        } catch {
            return "unexpected error \(error)"
        }
        return "no error"
    }

    @Test func minAboveMax() {
        let text = message { try $0.int("units", min: 10, max: 2) }
        #expect(text.contains("'units'") && text.contains("min 10 is above max 2"))
        let floatText = message { try $0.float("rate", min: 0.5, max: 0.1) }
        #expect(floatText.contains("'rate'") && floatText.contains("min 0.5 is above max 0.1"))
    }

    @Test func logSamplingWithNonPositiveBound() {
        let text = message { try $0.float("learning_rate", min: 0, max: 0.1, sampling: .log) }
        #expect(text.contains("'learning_rate'") && text.contains("log sampling needs positive bounds") && text.contains("min is 0.0"))
        let intText = message { try $0.int("batch", min: -1, max: 64, sampling: .log) }
        #expect(intText.contains("'batch'") && intText.contains("positive bounds"))
        let reverseText = message { try $0.float("momentum", min: 0, max: 0.99, sampling: .reverseLog) }
        #expect(reverseText.contains("reverse_log sampling needs positive bounds"))
    }

    @Test func emptyChoice() {
        let text = message { try $0.choice("optimizer", values: [String]()) }
        #expect(text.contains("'optimizer'") && text.contains("at least one value"))
    }

    @Test func defaultOutsideRange() {
        let text = message { try $0.int("n_hidden", min: 0, max: 8, default: 9) }
        #expect(text.contains("'n_hidden'") && text.contains("default 9 is outside the range 0...8"))
        let floatText = message { try $0.float("dropout", min: 0, max: 0.5, default: 0.7) }
        #expect(floatText.contains("'dropout'") && floatText.contains("outside the range"))
        let choiceText = message { try $0.choice("optimizer", values: ["sgd", "adam"], default: "rmsprop") }
        #expect(choiceText.contains("'optimizer'") && choiceText.contains("default rmsprop is not one of the choices [sgd, adam]"))
    }

    @Test func defaultOffTheStep() {
        let text = message { try $0.int("units", min: 32, max: 512, step: 32, default: 100) }
        #expect(text.contains("'units'") && text.contains("default 100 is not one of the values the step allows (32, 64, 96, ..., 512)"))
        let floatText = message { try $0.float("dropout", min: 0, max: 0.5, step: 0.1, default: 0.25) }
        #expect(floatText.contains("'dropout'") && floatText.contains("not one of the values the step allows"))
    }

    @Test func steppedFloatDefaultIsSnappedOntoTheGrid() throws {
        let hp = HyperParameters()
        // 0.1 * 3 is 0.30000000000000004 on the grid; the literal 0.3 is snapped onto it.
        let value = try hp.float("dropout", min: 0, max: 0.5, step: 0.1, default: 0.3)
        #expect(abs(value - 0.3) < 1e-12)
    }

    @Test func sameNameRedefinedDifferently() {
        let text = message { hp in
            try hp.int("units", min: 16, max: 256)
            try hp.int("units", min: 16, max: 512)
        }
        #expect(text.contains("'units' is already defined as Int(name: 'units', min: 16, max: 256")
            && text.contains("cannot be redefined as Int(name: 'units', min: 16, max: 512"))
        let kindText = message { hp in
            try hp.int("units", min: 16, max: 256)
            try hp.float("units", min: 16, max: 256)
        }
        #expect(kindText.contains("cannot be redefined as Float"))
        let scopeText = message { hp in
            try hp.choice("optimizer", values: ["sgd", "adam"])
            try hp.float("lr", min: 1e-4, max: 1e-1, sampling: .log)
            try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
                try hp.float("lr", min: 1e-4, max: 1e-1, sampling: .log)
            }
        }
        #expect(scopeText.contains("'lr' is already defined") && scopeText.contains("conditions: [optimizer in [adam]]"))
    }

    @Test func sameDefinitionTwiceIsFine() throws {
        let hp = HyperParameters()
        try hp.int("units", min: 16, max: 256)
        #expect(try hp.int("units", min: 16, max: 256) == 16)
        #expect(hp.space.count == 1)
    }

    @Test func stepNotPositive() {
        let text = message { try $0.int("units", min: 16, max: 256, step: 0) }
        #expect(text.contains("'units'") && text.contains("step 0 is not positive"))
        let floatText = message { try $0.float("dropout", min: 0, max: 0.5, step: -0.1) }
        #expect(floatText.contains("'dropout'") && floatText.contains("step -0.1 is not positive"))
        let logText = message { try $0.float("lr", min: 1e-4, max: 1e-1, step: 0.5, sampling: .log) }
        #expect(logText.contains("'lr'") && logText.contains("must be above 1, but it is 0.5"))
        let tinyText = message { try $0.float("x", min: 0, max: 1, step: 1e-12) }
        #expect(tinyText.contains("'x'") && tinyText.contains("too many values"))
    }

    @Test func otherProblems() {
        #expect(message { try $0.int("  ", min: 0, max: 1) }.contains("must not be empty"))
        #expect(message { try $0.int("n", min: 1, max: 8, sampling: .reverseLog) }.contains("reverse-log sampling is only for floats"))
        #expect(message { try $0.float("x", min: 0, max: .infinity) }.contains("'x': max is inf"))
        #expect(message { try $0.float("x", min: .nan, max: 1) }.contains("'x': min is nan"))
        #expect(message { try $0.choice("c", values: [1, 1]) }.contains("'c': choice value 1 is listed twice"))
        #expect(message { try $0.choice("c", values: [1, 2.5] as [HyperParameterValue]) }
            .contains("'c': choice values must all have one type, found int and float"))
        #expect(message { try $0.choice("c", values: ["a", "b"], ordered: true) }.contains("'c': only numeric choices can be ordered"))
        #expect(message { try $0.fixed("f", value: Double.nan) }.contains("'f': value is nan"))
    }

    @Test func conditionalScopeProblems() {
        let unknown = message { hp in try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {} }
        #expect(unknown.contains("'optimizer'") && unknown.contains("not defined yet"))
        let empty = message { hp in
            try hp.choice("optimizer", values: ["sgd", "adam"])
            try hp.conditionalScope(parent: "optimizer", values: []) {}
        }
        #expect(empty.contains("'optimizer'") && empty.contains("at least one parent value"))
        let impossible = message { hp in
            try hp.choice("optimizer", values: ["sgd", "adam"])
            try hp.conditionalScope(parent: "optimizer", values: ["rmsprop"]) {}
        }
        #expect(impossible.contains("'optimizer'") && impossible.contains("the value rmsprop can never occur"))
    }

    @Test func scopeIsClosedAfterAnError() throws {
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try hp.conditionalScope(parent: "optimizer", values: ["adam"]) { throw Failure() }
        }
        try hp.int("units", min: 1, max: 4)
        #expect(hp.space["units"]?.conditions == [])
    }

    @Test func invalidValuesForASpace() throws {
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.8, max: 0.999)
        }
        let space = hp.space
        #expect(throws: HyperParameterError.self) { try space.validated(["beta_1": 0.9]) }
        do {
            _ = try space.validated(["optimizer": "sgd", "beta_1": 0.9])
            Issue.record("an inactive value should be refused")
        } catch {
            #expect(error.description.contains("'beta_1' was given a value but is inactive: it needs optimizer in [adam]"))
        }
        do {
            _ = try space.validated(["optimizer": 3])
            Issue.record("a value of the wrong type should be refused")
        } catch {
            #expect(error.description.contains("'optimizer': value 3 (int) is not allowed by Choice"))
        }
    }
}
