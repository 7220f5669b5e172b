/// What an optimizer's update needs to know about the current step.
public struct OptimizerStep: Sendable, Equatable {
    /// Updates completed before this one (Keras's `optimizer.iterations` during the step): 0 on the
    /// first update. Bias corrections use `iteration + 1`.
    public var iteration: Int
    /// The learning rate of this step: the constant, or the schedule at `iteration`.
    public var learningRate: Float
    /// The decoupled weight decay rate for the variable being updated, `nil` when it does not decay
    /// (no `weightDecay`, or the variable is excluded). Updates apply it first, as Keras does:
    /// `w = w - w * weightDecay * learningRate`.
    public var weightDecay: Float?

    /// Creates a step description.
    public init(iteration: Int, learningRate: Float, weightDecay: Float? = nil) {
        self.iteration = iteration
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// `iteration + 1` as a Float: the `t` of bias corrections (Keras's `local_step`).
    public var localStep: Float { Float(iteration + 1) }
}

/// The base of all optimizers: Keras 3's `Optimizer`, with the same update formulas and defaults.
///
/// An optimizer updates variables from gradients with ``apply(gradients:to:)``. It keeps per-variable
/// slots (momenta, second moments...) as non-trainable ``Variable``s created lazily the first time a
/// variable gets a gradient, an ``iterations`` counter, a ``learningRate`` that is a constant or a
/// ``LearningRateSchedule``, optional decoupled weight decay (Keras's `weight_decay`, available on every
/// optimizer) and optional gradient clipping (``GradientClipping``).
///
/// Each step, for the variables that have a gradient, in Keras's order: the gradients are clipped,
/// then each variable decays (`w -= w * weightDecay * lr`) and is updated by the subclass's rule; then
/// ``iterations`` grows by one. Updates happen in place over raw buffers, one fused loop per variable,
/// and are never recorded on a gradient tape.
///
/// ```swift
/// let optimizer = try Adam(learningRate: 0.001, globalClipnorm: 1)
/// for (x, y) in batches {
///     let tape = GradientTape()
///     let loss = tape.record { lossFunction(model(x), y) }
///     try optimizer.apply(gradients: try tape.gradient(of: loss, wrt: variables), to: variables)
/// }
/// ```
///
/// Subclass to write your own optimizer: override ``slotNames``, ``update(_:gradient:slots:step:)``,
/// ``className`` and ``hyperparameters`` (and ``initialSlotValue(_:)``, ``prepareStep(_:)``,
/// ``additionalState`` and ``restoreAdditionalState(_:)`` when needed).
///
/// An optimizer is not thread-safe: use one per training loop.
open class Optimizer {
    /// The name saved in the configuration (Keras's default names: `sgd`, `adam`, `adam_w`...).
    public let name: String
    /// The learning rate: a constant or a schedule. Change it with ``setLearningRate(_:)-(Float)``.
    public internal(set) var learningRate: LearningRate
    /// The decoupled weight decay rate, `nil` for none.
    public let weightDecay: Double?
    /// How gradients are clipped before each update.
    public let clipping: GradientClipping
    /// The number of updates applied so far (calls of ``apply(gradients:to:)`` with at least one gradient).
    public internal(set) var iterations: Int = 0

    /// Per-variable slots, keyed by the variable's identity. The entry keeps the variable alive so the
    /// identity cannot be reused by another object while the slots exist.
    var slotSets: [ObjectIdentifier: SlotSet] = [:]
    private var excludedFromDecay: [ObjectIdentifier: Variable] = [:]
    private var excludedNamePatterns: [String] = []

    struct SlotSet {
        let variable: Variable
        let slots: [Variable]
    }

    /// Creates the shared part of an optimizer; subclasses call it from their own initializers.
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` for a negative or
    ///   non-finite constant learning rate or weight decay, and the errors of
    ///   ``GradientClipping/init(clipnorm:clipvalue:globalClipnorm:)``.
    public init(
        name: String, learningRate: LearningRate, weightDecay: Double? = nil,
        clipnorm: Double? = nil, clipvalue: Double? = nil, globalClipnorm: Double? = nil
    ) throws(OptimizerError) {
        if case let .constant(value) = learningRate {
            try Optimizer.checkLearningRate(value, owner: name)
        }
        if let weightDecay { try checkNonNegative(weightDecay, "weightDecay", owner: name) }
        self.name = name
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.clipping = try GradientClipping(clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm)
    }

    static func checkLearningRate(_ value: Float, owner: String) throws(OptimizerError) {
        guard value.isFinite, value >= 0 else {
            throw .invalidHyperparameter(owner: owner, name: "learningRate", value: "\(value)", requirement: "finite and >= 0")
        }
    }

    // MARK: - Learning rate

    /// The learning rate the next step will use: the constant, or the schedule at ``iterations``.
    public var currentLearningRate: Float { learningRate.value(atStep: iterations) }

    /// Sets a constant learning rate (what Keras's `ReduceLROnPlateau` and `LearningRateScheduler` do).
    ///
    /// - Throws: ``OptimizerError/learningRateIsScheduled(optimizer:)`` when a schedule drives the rate
    ///   (as Keras raises), and ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` for
    ///   a negative or non-finite value.
    public func setLearningRate(_ value: Float) throws(OptimizerError) {
        if case .schedule = learningRate { throw .learningRateIsScheduled(optimizer: name) }
        try Optimizer.checkLearningRate(value, owner: name)
        learningRate = .constant(value)
    }

    /// Replaces the learning rate by a schedule, evaluated from the current ``iterations`` on.
    public func setLearningRate(_ schedule: any LearningRateSchedule) {
        learningRate = .schedule(schedule)
    }

    // MARK: - Weight decay exclusions

    /// Keeps `variables`, and variables whose name contains one of `names`, from decaying (Keras's
    /// `exclude_from_weight_decay`, with substring matching instead of regular expressions). Typical
    /// for biases and normalization scales. Calls accumulate.
    public func excludeFromWeightDecay(variables: [Variable] = [], names: [String] = []) {
        for variable in variables { excludedFromDecay[ObjectIdentifier(variable)] = variable }
        excludedNamePatterns += names.filter { !$0.isEmpty }
    }

    /// Whether this optimizer decays `variable` at each step.
    public func appliesWeightDecay(to variable: Variable) -> Bool {
        guard weightDecay != nil, excludedFromDecay[ObjectIdentifier(variable)] == nil else { return false }
        return !excludedNamePatterns.contains { variable.name.contains($0) }
    }

    // MARK: - Applying gradients

    /// Updates each variable from its gradient, then increments ``iterations``.
    ///
    /// A `nil` gradient skips its variable (its slots are left as they are), as Keras's
    /// `apply_gradients` skips `None` gradients (Keras also prints a warning; this does not). An empty
    /// list does nothing, as in Keras. Variables seen for the first time get fresh slots, so the
    /// variable set may grow between calls (Keras would refuse a variable it was not built with).
    ///
    /// - Throws: ``OptimizerError/gradientCountMismatch(gradients:variables:)``,
    ///   ``OptimizerError/gradientShapeMismatch(index:variable:variableShape:gradientShape:)`` and
    ///   ``OptimizerError/noGradients(variables:)`` (every gradient `nil`), before anything changes.
    public func apply(gradients: [Tensor?], to variables: [Variable]) throws(OptimizerError) {
        guard gradients.count == variables.count else {
            throw .gradientCountMismatch(gradients: gradients.count, variables: variables.count)
        }
        if gradients.isEmpty { return }
        var anyGradient = false
        for (index, gradient) in gradients.enumerated() {
            guard let gradient else { continue }
            anyGradient = true
            let variable = variables[index]
            guard gradient.shape == variable.shape else {
                throw .gradientShapeMismatch(
                    index: index, variable: variable.name, variableShape: variable.shape, gradientShape: gradient.shape)
            }
        }
        guard anyGradient else { throw .noGradients(variables: variables.map(\.name)) }

        let clipped = clipping == .none ? gradients : clipping.clip(gradients)
        let step = OptimizerStep(iteration: iterations, learningRate: currentLearningRate)
        prepareStep(step)
        let decay = weightDecay.map { Float($0) }
        for (index, gradient) in clipped.enumerated() {
            guard let gradient else { continue }
            let variable = variables[index]
            var variableStep = step
            if let decay, appliesWeightDecay(to: variable) { variableStep.weightDecay = decay }
            let slots = slotVariables(for: variable)
            gradient.withUnsafeBufferPointer { values in
                update(variable, gradient: values, slots: slots, step: variableStep)
            }
            // Keras applies a variable's constraint (max-norm, non-negative, ...) right after its update.
            if let constraint = variable.constraint { variable.assign(constraint(variable.value)) }
        }
        iterations += 1
    }

    /// Keras's `apply_gradients(zip(grads, vars))`: ``apply(gradients:to:)`` on pairs.
    public func applyGradients(_ pairs: [(gradient: Tensor?, variable: Variable)]) throws(OptimizerError) {
        try apply(gradients: pairs.map(\.gradient), to: pairs.map(\.variable))
    }

    /// The slot `name` of `variable` (e.g. Adam's `"momentum"`), `nil` before the variable's first
    /// update or for a name this optimizer does not use.
    public func slot(_ name: String, for variable: Variable) -> Variable? {
        guard let index = slotNames.firstIndex(of: name) else { return nil }
        return slotSets[ObjectIdentifier(variable)]?.slots[index]
    }

    /// The slots of `variable`, created with their initial values on first use.
    func slotVariables(for variable: Variable) -> [Variable] {
        let key = ObjectIdentifier(variable)
        if let existing = slotSets[key] { return existing.slots }
        let created = slotNames.map { slotName in
            Variable(
                Tensor(repeating: initialSlotValue(slotName), shape: variable.shape),
                trainable: false, name: "\(variable.name)_\(slotName)")
        }
        slotSets[key] = SlotSet(variable: variable, slots: created)
        return created
    }

    // MARK: - Subclass hooks

    /// The Keras class name saved in the configuration (`"SGD"`, `"Adam"`...). Override in subclasses;
    /// the default is the Swift type's name.
    open var className: String { String(describing: type(of: self)) }

    /// The names of the per-variable slots, in a fixed order (Keras's: `"momentum"`, `"velocity"`...).
    open var slotNames: [String] { [] }

    /// The value a new slot starts with (0 unless overridden, e.g. Adagrad's initial accumulator).
    open func initialSlotValue(_ slot: String) -> Float { 0 }

    /// Called once per step before the variables are updated (Nadam advances its momentum schedule).
    open func prepareStep(_ step: OptimizerStep) {}

    /// Updates `variable` in place from `gradient` (already clipped), using and updating `slots` (in
    /// ``slotNames`` order). Must apply `step.weightDecay` when set, and must not record on a tape:
    /// write through ``Variable/updateInPlace(_:)``.
    open func update(_ variable: Variable, gradient: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep) {
        fatalError("\(type(of: self)) must override Optimizer.update(_:gradient:slots:step:)")
    }

    /// The subclass's hyperparameters under Keras's keys (`"beta_1"`, `"momentum"`...), for
    /// ``configuration``.
    open var hyperparameters: Configuration { [:] }

    /// Scalar state that is not per variable (Nadam's `"u_product"`), saved by ``stateTensors(for:)``.
    open var additionalState: [String: Float] { [:] }

    /// Restores what ``additionalState`` returned; called by ``loadState(_:for:)`` after validation,
    /// with exactly the keys ``additionalState`` has.
    open func restoreAdditionalState(_ state: [String: Float]) {}

    // MARK: - Kernel helpers

    /// `w - w * rate * learningRate` when `rate` is set: Keras's decoupled weight decay, in its order.
    @inlinable @inline(__always)
    public static func decayed(_ w: Float, rate: Float?, learningRate: Float) -> Float {
        guard let rate else { return w }
        return w - w * rate * learningRate
    }
}

// MARK: - Configuration

extension Optimizer {
    /// The class name and hyperparameters, in Keras's format: rebuilds the optimizer with
    /// ``fromConfiguration(_:customOptimizers:customSchedules:)``. A constant learning rate is its
    /// current value (after any ``setLearningRate(_:)-(Float)``), as Keras saves it.
    public var configuration: OptimizerConfiguration {
        var config = hyperparameters
        config["name"] = .string(name)
        switch learningRate {
        case let .constant(value): config["learning_rate"] = .exactFloat(value)
        case let .schedule(schedule): config["learning_rate"] = schedule.configuration.value
        }
        config["weight_decay"] = .optional(weightDecay)
        config.merge(clipping.configuration) { _, new in new }
        // Keras features this implementation does not have, at their "off" values, so Keras can read it.
        config["use_ema"] = .bool(false)
        config["ema_momentum"] = .double(0.99)
        config["ema_overwrite_frequency"] = .null
        config["loss_scale_factor"] = .null
        config["gradient_accumulation_steps"] = .null
        return OptimizerConfiguration(className: className, config: config)
    }

    /// Rebuilds an optimizer from its ``configuration`` (or from Keras's
    /// `keras.optimizers.serialize(optimizer)`), with fresh slots and ``iterations`` at 0.
    ///
    /// Missing keys take Keras's defaults. `customOptimizers` maps the class names of your own
    /// optimizers to functions that build them; `customSchedules` does the same for schedules.
    ///
    /// - Throws: ``OptimizerError/unknownOptimizer(className:)``, ``OptimizerError/unknownSchedule(className:)``,
    ///   ``OptimizerError/invalidConfiguration(className:key:message:)`` for mistyped or unknown keys and
    ///   for Keras features not supported here (`use_ema`, `loss_scale_factor`,
    ///   `gradient_accumulation_steps`), and the optimizer's own hyperparameter errors.
    public static func fromConfiguration(
        _ configuration: OptimizerConfiguration,
        customOptimizers: [String: (OptimizerConfiguration) throws(OptimizerError) -> Optimizer] = [:],
        customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule] = [:]
    ) throws(OptimizerError) -> Optimizer {
        if let build = customOptimizers[configuration.className] { return try build(configuration) }
        var reader = ConfigurationReader(className: configuration.className, config: configuration.config)
        let optimizer: Optimizer
        switch configuration.className {
        case "SGD": optimizer = try SGD(reading: &reader, customSchedules: customSchedules)
        case "Adam": optimizer = try Adam(reading: &reader, customSchedules: customSchedules)
        case "AdamW": optimizer = try AdamW(reading: &reader, customSchedules: customSchedules)
        case "Nadam": optimizer = try Nadam(reading: &reader, customSchedules: customSchedules)
        case "RMSprop": optimizer = try RMSprop(reading: &reader, customSchedules: customSchedules)
        case "Adagrad": optimizer = try Adagrad(reading: &reader, customSchedules: customSchedules)
        default: throw .unknownOptimizer(className: configuration.className)
        }
        try reader.finish()
        return optimizer
    }

    /// The hyperparameters every Keras optimizer has, read from a configuration.
    struct CommonHyperparameters {
        var name: String
        var learningRate: LearningRate
        var weightDecay: Double?
        var clipnorm: Double?
        var clipvalue: Double?
        var globalClipnorm: Double?

        init(
            reading reader: inout ConfigurationReader, defaultName: String, defaultLearningRate: Float,
            customSchedules: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule]
        ) throws(OptimizerError) {
            name = try reader.string("name", default: defaultName)
            switch reader.take("learning_rate") {
            case nil:
                learningRate = .constant(defaultLearningRate)
            case let .double(value)?:
                learningRate = .constant(Float(value))
            case let .int(value)?:
                learningRate = .constant(Float(value))
            case let .uint(value)?:
                learningRate = .constant(Float(value))
            case let .object(fields)?:
                guard case let .string(className)? = fields["class_name"], case let .object(config)? = fields["config"] else {
                    throw .invalidConfiguration(
                        className: reader.className, key: "learning_rate",
                        message: "a schedule must be {\"class_name\": ..., \"config\": {...}}")
                }
                let schedule = try makeLearningRateSchedule(
                    from: LearningRateScheduleConfiguration(className: className, config: config), custom: customSchedules)
                learningRate = .schedule(schedule)
            case let other?:
                throw .invalidConfiguration(
                    className: reader.className, key: "learning_rate",
                    message: "expected a number or a schedule, got \(other)")
            }
            weightDecay = try reader.optionalDouble("weight_decay")
            clipnorm = try reader.optionalDouble("clipnorm")
            clipvalue = try reader.optionalDouble("clipvalue")
            globalClipnorm = try reader.optionalDouble("global_clipnorm")
            try reader.requireDefault("use_ema", allowed: { $0 == .bool(false) }, feature: "use_ema (weight averaging)")
            _ = reader.take("ema_momentum")
            try reader.requireDefault("ema_overwrite_frequency", allowed: { _ in false }, feature: "ema_overwrite_frequency")
            try reader.requireDefault(
                "loss_scale_factor", allowed: { $0.doubleValue == 1 }, feature: "loss_scale_factor (loss scaling)")
            try reader.requireDefault(
                "gradient_accumulation_steps", allowed: { _ in false }, feature: "gradient_accumulation_steps")
        }
    }
}
