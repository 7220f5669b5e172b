#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning rate that changes with the optimizer's step count (Keras's `LearningRateSchedule`).
///
/// The optimizer asks for the rate at its ``Optimizer/iterations`` count *before* each step, so the
/// first step uses `learningRate(atStep: 0)`, as in Keras. Implementations compute in Float32 like
/// Keras's float32 schedules, and must be pure functions of the step.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate at `step` (0 for the first update).
    func learningRate(atStep step: Int) -> Float
    /// The class name and parameters, to save and rebuild the schedule.
    var configuration: LearningRateScheduleConfiguration { get }
}

extension LearningRateSchedule {
    /// The learning rate at `step`: `schedule(step)`, as in Keras.
    public func callAsFunction(_ step: Int) -> Float { learningRate(atStep: step) }
}

/// An optimizer's learning rate: a constant (which callbacks may change) or a schedule.
///
/// Float and integer literals make constants: `SGD(learningRate: 0.01)`.
public enum LearningRate: Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A fixed rate, held in Float32 as Keras holds it in a float32 variable.
    case constant(Float)
    /// A rate that follows a schedule of the step count.
    case schedule(any LearningRateSchedule)

    /// A constant from a literal.
    public init(floatLiteral value: Float) { self = .constant(value) }
    /// A constant from a literal.
    public init(integerLiteral value: Int) { self = .constant(Float(value)) }

    /// The rate at `step`.
    public func value(atStep step: Int) -> Float {
        switch self {
        case let .constant(value): return value
        case let .schedule(schedule): return schedule.learningRate(atStep: step)
        }
    }
}

// MARK: - Built-in schedules

/// `initialLearningRate * decayRate ^ (step / decaySteps)`, with the exponent floored when `staircase`
/// is set (Keras's `ExponentialDecay`).
public struct ExponentialDecay: LearningRateSchedule, Equatable {
    /// The rate at step 0.
    public let initialLearningRate: Double
    /// The number of steps over which the rate is multiplied by `decayRate` once.
    public let decaySteps: Int
    /// The factor applied every `decaySteps` steps.
    public let decayRate: Double
    /// Whether the rate drops in steps (integer exponent) instead of continuously.
    public let staircase: Bool
    /// The name saved in the configuration.
    public let name: String

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when
    ///   `initialLearningRate` is negative or not finite, `decaySteps` is not positive, or `decayRate`
    ///   is negative or not finite.
    public init(
        initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
        name: String = "ExponentialDecay"
    ) throws(OptimizerError) {
        try checkNonNegative(initialLearningRate, "initialLearningRate", owner: "ExponentialDecay")
        try checkPositive(decaySteps, "decaySteps", owner: "ExponentialDecay")
        try checkNonNegative(decayRate, "decayRate", owner: "ExponentialDecay")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
    }

    /// The decayed rate at `step`, in Float32 as Keras computes it.
    public func learningRate(atStep step: Int) -> Float {
        var exponent = Float(step) / Float(decaySteps)
        if staircase { exponent = exponent.rounded(.down) }
        return Float(initialLearningRate) * powf(Float(decayRate), exponent)
    }

    /// `ExponentialDecay` with Keras's keys.
    public var configuration: LearningRateScheduleConfiguration {
        LearningRateScheduleConfiguration(className: "ExponentialDecay", config: [
            "initial_learning_rate": .double(initialLearningRate),
            "decay_steps": .double(Double(decaySteps)),
            "decay_rate": .double(decayRate),
            "staircase": .bool(staircase),
            "name": .string(name),
        ])
    }
}

/// A rate that is `values[0]` up to and including step `boundaries[0]`, `values[1]` up to and
/// including `boundaries[1]`, ... and `values.last` after the last boundary (Keras's
/// `PiecewiseConstantDecay`).
public struct PiecewiseConstantDecay: LearningRateSchedule, Equatable {
    /// Increasing step counts where the rate changes.
    public let boundaries: [Int]
    /// One more rate than boundaries.
    public let values: [Double]
    /// The name saved in the configuration.
    public let name: String

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when
    ///   `values.count != boundaries.count + 1`, the boundaries are not strictly increasing, or a value
    ///   is negative or not finite.
    public init(boundaries: [Int], values: [Double], name: String = "PiecewiseConstant") throws(OptimizerError) {
        guard values.count == boundaries.count + 1 else {
            throw .invalidHyperparameter(
                owner: "PiecewiseConstantDecay", name: "values", value: "\(values.count) values",
                requirement: "one more than the boundaries (\(boundaries.count) boundaries)")
        }
        guard zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalidHyperparameter(
                owner: "PiecewiseConstantDecay", name: "boundaries", value: "\(boundaries)",
                requirement: "strictly increasing")
        }
        for value in values { try checkNonNegative(value, "values", owner: "PiecewiseConstantDecay") }
        self.boundaries = boundaries
        self.values = values
        self.name = name
    }

    /// The rate of the interval holding `step` (intervals are closed on the right, as in Keras).
    public func learningRate(atStep step: Int) -> Float {
        var index = 0
        while index < boundaries.count && step > boundaries[index] { index += 1 }
        return Float(values[index])
    }

    /// `PiecewiseConstantDecay` with Keras's keys.
    public var configuration: LearningRateScheduleConfiguration {
        LearningRateScheduleConfiguration(className: "PiecewiseConstantDecay", config: [
            "boundaries": .array(boundaries.map { .double(Double($0)) }),
            "values": .array(values.map { .double($0) }),
            "name": .string(name),
        ])
    }
}

/// Cosine decay from `initialLearningRate` to `alpha * initialLearningRate` over `decaySteps`, then
/// constant; with a `warmupTarget`, first a linear warmup from `initialLearningRate` to
/// `warmupTarget` over `warmupSteps`, then the cosine decay from `warmupTarget` (Keras's `CosineDecay`).
public struct CosineDecay: LearningRateSchedule, Equatable {
    /// The rate at step 0.
    public let initialLearningRate: Double
    /// The length of the cosine part.
    public let decaySteps: Int
    /// The final rate as a fraction of the rate the decay starts from.
    public let alpha: Double
    /// The rate reached at the end of the warmup; `nil` for no warmup.
    public let warmupTarget: Double?
    /// The length of the linear warmup (used only with a `warmupTarget`).
    public let warmupSteps: Int
    /// The name saved in the configuration.
    public let name: String

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError/invalidHyperparameter(owner:name:value:requirement:)`` when
    ///   `decaySteps` is not positive, `warmupSteps` is negative, `alpha` is outside [0, 1], or a rate is
    ///   negative or not finite.
    public init(
        initialLearningRate: Double, decaySteps: Int, alpha: Double = 0, warmupTarget: Double? = nil,
        warmupSteps: Int = 0, name: String = "CosineDecay"
    ) throws(OptimizerError) {
        try checkNonNegative(initialLearningRate, "initialLearningRate", owner: "CosineDecay")
        try checkPositive(decaySteps, "decaySteps", owner: "CosineDecay")
        guard alpha.isFinite, (0...1).contains(alpha) else {
            throw .invalidHyperparameter(owner: "CosineDecay", name: "alpha", value: "\(alpha)", requirement: "in [0, 1]")
        }
        if let warmupTarget { try checkNonNegative(warmupTarget, "warmupTarget", owner: "CosineDecay") }
        guard warmupSteps >= 0 else {
            throw .invalidHyperparameter(
                owner: "CosineDecay", name: "warmupSteps", value: "\(warmupSteps)", requirement: ">= 0")
        }
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.alpha = alpha
        self.warmupTarget = warmupTarget
        self.warmupSteps = warmupSteps
        self.name = name
    }

    /// The rate at `step`, in Float32 as Keras computes it.
    public func learningRate(atStep step: Int) -> Float {
        let initial = Float(initialLearningRate)
        let decayLength = Float(decaySteps)
        var position = Float(step)
        guard let warmupTarget else {
            return decayed(step: Swift.min(position, decayLength), from: initial)
        }
        let target = Float(warmupTarget)
        let warmupLength = Float(warmupSteps)
        position = Swift.min(position, decayLength + warmupLength)
        if position < warmupLength {
            return (target - initial) * (position / warmupLength) + initial
        }
        return decayed(step: position - warmupLength, from: target)
    }

    private func decayed(step: Float, from rate: Float) -> Float {
        let fraction = step / Float(decaySteps)
        // Float(Double.pi) is the nearest Float to pi, as Keras's float32 pi; Float.pi rounds down.
        let cosine: Float = 0.5 * (1 + cosf(Float(Double.pi) * fraction))
        return rate * (Float(1 - alpha) * cosine + Float(alpha))
    }

    /// `CosineDecay` with Keras's keys.
    public var configuration: LearningRateScheduleConfiguration {
        LearningRateScheduleConfiguration(className: "CosineDecay", config: [
            "initial_learning_rate": .double(initialLearningRate),
            "decay_steps": .double(Double(decaySteps)),
            "alpha": .double(alpha),
            "warmup_target": .optional(warmupTarget),
            "warmup_steps": .double(Double(warmupSteps)),
            "name": .string(name),
        ])
    }
}

// MARK: - Rebuilding from a configuration

/// Builds a schedule from its configuration (Keras's `keras.optimizers.schedules.deserialize`).
///
/// `custom` maps class names of your own schedules to functions that build them.
///
/// - Throws: ``OptimizerError/unknownSchedule(className:)``,
///   ``OptimizerError/invalidConfiguration(className:key:message:)`` for missing, mistyped or unknown
///   keys, and the schedule's own hyperparameter errors.
public func makeLearningRateSchedule(
    from configuration: LearningRateScheduleConfiguration,
    custom: [String: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule] = [:]
) throws(OptimizerError) -> any LearningRateSchedule {
    if let build = custom[configuration.className] { return try build(configuration) }
    var reader = ConfigurationReader(className: configuration.className, config: configuration.config)
    func required(_ key: String) -> OptimizerError {
        .invalidConfiguration(className: configuration.className, key: key, message: "is required")
    }
    let schedule: any LearningRateSchedule
    switch configuration.className {
    case "ExponentialDecay":
        guard let initial = try reader.optionalDouble("initial_learning_rate") else { throw required("initial_learning_rate") }
        guard let steps = try reader.optionalInt("decay_steps") else { throw required("decay_steps") }
        guard let rate = try reader.optionalDouble("decay_rate") else { throw required("decay_rate") }
        schedule = try ExponentialDecay(
            initialLearningRate: initial, decaySteps: steps, decayRate: rate,
            staircase: try reader.bool("staircase", default: false),
            name: try reader.string("name", default: "ExponentialDecay"))
    case "PiecewiseConstantDecay":
        let boundaries = try reader.doubles("boundaries")
        guard boundaries.allSatisfy({ $0.rounded() == $0 && abs($0) < 9.0e15 }) else {
            throw .invalidConfiguration(
                className: configuration.className, key: "boundaries",
                message: "expected integer step counts, got \(boundaries)")
        }
        schedule = try PiecewiseConstantDecay(
            boundaries: boundaries.map { Int($0) }, values: try reader.doubles("values"),
            name: try reader.string("name", default: "PiecewiseConstant"))
    case "CosineDecay":
        guard let initial = try reader.optionalDouble("initial_learning_rate") else { throw required("initial_learning_rate") }
        guard let steps = try reader.optionalInt("decay_steps") else { throw required("decay_steps") }
        schedule = try CosineDecay(
            initialLearningRate: initial, decaySteps: steps, alpha: try reader.double("alpha", default: 0),
            warmupTarget: try reader.optionalDouble("warmup_target"),
            warmupSteps: try reader.int("warmup_steps", default: 0),
            name: try reader.string("name", default: "CosineDecay"))
    default:
        throw .unknownSchedule(className: configuration.className)
    }
    try reader.finish()
    return schedule
}

// MARK: - Checks shared by schedules and optimizers

func checkNonNegative(_ value: Double, _ name: String, owner: String) throws(OptimizerError) {
    guard value.isFinite, value >= 0 else {
        throw .invalidHyperparameter(owner: owner, name: name, value: "\(value)", requirement: "finite and >= 0")
    }
}

func checkPositive(_ value: Int, _ name: String, owner: String) throws(OptimizerError) {
    guard value > 0 else {
        throw .invalidHyperparameter(owner: owner, name: name, value: "\(value)", requirement: "> 0")
    }
}

func checkUnitInterval(_ value: Double, _ name: String, owner: String, includingOne: Bool) throws(OptimizerError) {
    let ok = value.isFinite && value >= 0 && (includingOne ? value <= 1 : value < 1)
    guard ok else {
        throw .invalidHyperparameter(
            owner: owner, name: name, value: "\(value)", requirement: includingOne ? "in [0, 1]" : "in [0, 1)")
    }
}
