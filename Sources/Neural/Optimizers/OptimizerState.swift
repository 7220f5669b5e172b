/// Saving and restoring an optimizer's state, so a resumed or promoted trial continues exactly.
///
/// The state is a flat dictionary of tensors (what a safetensors checkpoint holds):
/// - `"iterations"`: the step count, a scalar. Float32 holds counts exactly up to 2^24 (16,777,216
///   steps); larger counts are rounded.
/// - `"learning_rate"`: the current constant learning rate, a scalar (absent when a schedule drives it;
///   the schedule is in the ``Optimizer/configuration``). Keras saves it too, so a rate lowered by a
///   callback survives the restart.
/// - `"<index>/<slot>"`: each slot of each variable, by the variable's index in the list given, with
///   the variable's shape (e.g. `"0/momentum"`, `"0/velocity"`, `"1/momentum"` for Adam).
/// - optimizer-wide scalars such as Nadam's `"u_product"` (``Optimizer/additionalState``).
///
/// Restore into an optimizer built from the same ``Optimizer/configuration``, for the same variables in
/// the same order; the following updates are then bit-identical to an uninterrupted run.
extension Optimizer {
    /// The state for `variables` (see the extension's documentation for the keys).
    ///
    /// Variables that have not been updated yet get their slots' initial values, so the key set depends
    /// only on the optimizer's configuration and the number of variables.
    public func stateTensors(for variables: [Variable]) -> [String: Tensor] {
        var state: [String: Tensor] = ["iterations": Tensor(Float(iterations))]
        if case let .constant(value) = learningRate { state["learning_rate"] = Tensor(value) }
        for (key, value) in additionalState { state[key] = Tensor(value) }
        let names = slotNames
        for (index, variable) in variables.enumerated() {
            let existing = slotSets[ObjectIdentifier(variable)]?.slots
            for (slotIndex, slotName) in names.enumerated() {
                state["\(index)/\(slotName)"] = existing?[slotIndex].value
                    ?? Tensor(repeating: initialSlotValue(slotName), shape: variable.shape)
            }
        }
        return state
    }

    /// The keys ``stateTensors(for:)`` produces for `variableCount` variables, sorted.
    public func stateKeys(variableCount: Int) -> [String] {
        var keys = ["iterations"]
        if case .constant = learningRate { keys.append("learning_rate") }
        keys += additionalState.keys
        for index in 0..<variableCount { keys += slotNames.map { "\(index)/\($0)" } }
        return keys.sorted()
    }

    /// Restores a state saved by ``stateTensors(for:)``, for the same variables in the same order.
    ///
    /// Everything is validated before anything changes: on error, the optimizer is as it was.
    ///
    /// - Throws: ``OptimizerError/missingState(optimizer:key:)`` and
    ///   ``OptimizerError/unexpectedState(optimizer:keys:)`` when the keys differ from
    ///   ``stateKeys(variableCount:)`` (another optimizer class or configuration, another number of
    ///   variables, a schedule where a constant was saved...),
    ///   ``OptimizerError/stateShapeMismatch(optimizer:key:expected:found:)`` when a slot's shape is not its
    ///   variable's or a scalar is not a scalar, and ``OptimizerError/invalidState(optimizer:key:message:)``
    ///   for a negative or fractional iteration count, a negative learning rate or a non-finite value.
    public func loadState(_ state: [String: Tensor], for variables: [Variable]) throws(OptimizerError) {
        let expected = stateKeys(variableCount: variables.count)
        let expectedSet = Set(expected)
        if let missing = expected.first(where: { state[$0] == nil }) {
            throw .missingState(optimizer: name, key: missing)
        }
        let unexpected = state.keys.filter { !expectedSet.contains($0) }
        guard unexpected.isEmpty else { throw .unexpectedState(optimizer: name, keys: unexpected.sorted()) }

        func scalar(_ key: String) throws(OptimizerError) -> Float {
            let tensor = state[key] ?? Tensor(Float.nan)
            guard tensor.shape.isEmpty else {
                throw .stateShapeMismatch(optimizer: name, key: key, expected: [], found: tensor.shape)
            }
            let value = tensor.scalar
            guard value.isFinite else { throw .invalidState(optimizer: name, key: key, message: "is \(value), not finite") }
            return value
        }
        let iterationValue = try scalar("iterations")
        guard iterationValue >= 0, iterationValue.rounded() == iterationValue else {
            throw .invalidState(optimizer: name, key: "iterations", message: "is \(iterationValue), not a count of steps")
        }
        var restoredRate: Float?
        if case .constant = learningRate {
            let rate = try scalar("learning_rate")
            guard rate >= 0 else { throw .invalidState(optimizer: name, key: "learning_rate", message: "is \(rate), negative") }
            restoredRate = rate
        }
        var additional: [String: Float] = [:]
        for key in additionalState.keys { additional[key] = try scalar(key) }
        let names = slotNames
        var slotValues: [[Tensor]] = []
        for (index, variable) in variables.enumerated() {
            var values: [Tensor] = []
            for slotName in names {
                let key = "\(index)/\(slotName)"
                let tensor = state[key] ?? Tensor(zeros: variable.shape)
                guard tensor.shape == variable.shape else {
                    throw .stateShapeMismatch(optimizer: name, key: key, expected: variable.shape, found: tensor.shape)
                }
                values.append(tensor)
            }
            slotValues.append(values)
        }

        iterations = Int(iterationValue)
        if let restoredRate { learningRate = .constant(restoredRate) }
        restoreAdditionalState(additional)
        for (variable, values) in zip(variables, slotValues) {
            let slots = slotVariables(for: variable)
            for (slot, value) in zip(slots, values) { slot.assign(value) }
        }
    }
}
