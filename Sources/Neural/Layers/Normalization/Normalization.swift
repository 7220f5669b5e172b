#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standardizes features with a mean and variance learned from data (Keras's `Normalization`
/// preprocessing layer, the seeds' Scikit-Learn `StandardScaler` twin):
/// `(x - mean) / max(sqrt(variance), 1e-7)`, or the inverse map `mean + x · max(sqrt(variance), 1e-7)`
/// with `invert`.
///
/// The statistics come from ``adapt(_:)`` (stored as the non-trainable weights `mean`, `variance` and
/// `count`, so they are saved with the model and summaries count them) or from
/// ``init(mean:variance:axis:invert:inputShape:name:)`` (constants saved in the configuration).
///
/// ```swift
/// let normalization = Normalization(inputShape: [8])
/// let model = Sequential([normalization, Dense(units: 30, activation: .relu), Dense(units: 1)])
/// try normalization.adapt(xTrain)   // before fit, as in Keras
/// ```
///
/// Using the layer on data before it is adapted throws ``LayerError``. Only the all-zero
/// one-example input with which ``Sequential`` and the functional API infer output shapes goes
/// through beforehand (its output then is zeros), so models can be assembled first and adapted
/// later, as in the seeds.
public final class Normalization: Layer, ConfigurationRepresentable {
    /// The axes that keep a separate mean and variance per index (default `[-1]`, the features);
    /// `nil` for a single mean and variance over everything.
    public let axis: [Int]?
    /// Whether the layer maps normalized values back (`mean + x · deviation`).
    public let invert: Bool
    /// The mean given at creation, if any (broadcast to the kept axes' shape).
    public let fixedMean: Tensor?
    /// The variance given at creation, if any.
    public let fixedVariance: Tensor?

    /// The adapted means, shaped like the kept axes; created by `build` unless fixed statistics were given.
    public private(set) var mean: Variable?
    /// The adapted variances, shaped like the kept axes.
    public private(set) var variance: Variable?
    /// How many values each statistic was computed from (0 until adapted), a scalar.
    public private(set) var count: Variable?

    /// Keras's `backend.epsilon()`: the smallest deviation divided by.
    public static let epsilon: Float = 1e-7

    private var keptAxes: [Int] = []
    private var builtShape: [Int] = []
    private var fixedStatistics: (mean: [Float], deviation: [Float])?

    /// Creates a layer to be adapted to data.
    public init(axis: [Int]? = [-1], invert: Bool = false, inputShape: [Int]? = nil, name: String? = nil) {
        self.axis = axis
        self.invert = invert
        self.fixedMean = nil
        self.fixedVariance = nil
        super.init(name: name, inputShape: inputShape)
    }

    /// Creates a layer with known statistics (Keras's `mean=`, `variance=`): scalars or tensors that
    /// broadcast to the shape of the kept axes, checked when the layer is built.
    public init(
        mean: Tensor, variance: Tensor, axis: [Int]? = [-1], invert: Bool = false,
        inputShape: [Int]? = nil, name: String? = nil
    ) {
        self.axis = axis
        self.invert = invert
        self.fixedMean = mean
        self.fixedVariance = variance
        super.init(name: name, inputShape: inputShape)
    }

    /// Whether the layer has statistics: fixed ones, or adapted (or loaded) weights with a nonzero count.
    public var isAdapted: Bool {
        if fixedMean != nil { return true }
        guard let count else { return false }
        return count.value.scalars.first.map { $0 > 0 } ?? false
    }

    /// Resolves the kept axes and creates the statistics' weights (or checks the fixed statistics).
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for axes out of range, repeated or
    ///   including the batch axis, and for fixed statistics that do not broadcast to the kept axes'
    ///   shape, differ in shape from each other, or have a negative variance.
    public override func build(inputShape: [Int]) throws {
        let rank = inputShape.count
        var kept: [Int] = []
        if let axis {
            kept = axis.compactMap { try? Tensor.normalizedAxis($0, rank: rank, op: name) }.sorted()
            guard kept.count == axis.count, Set(kept).count == kept.count, !kept.contains(0) else {
                throw LayerError.invalidArgument(
                    layer: name,
                    message: "axis \(axis) must name distinct non-batch axes of inputs of shape \(inputShape)"
                        + " (use axis: nil for one mean and variance over all values)")
            }
        }
        keptAxes = kept
        builtShape = inputShape
        let statisticsShape = kept.map { inputShape[$0] }
        if let fixedMean, let fixedVariance {
            guard fixedMean.shape == fixedVariance.shape else {
                throw LayerError.invalidArgument(
                    layer: name,
                    message: "mean and variance must have the same shape, got \(fixedMean.shape) and \(fixedVariance.shape)")
            }
            guard let merged = try? Tensor.broadcastShape(fixedMean.shape, statisticsShape), merged == statisticsShape else {
                throw LayerError.invalidArgument(
                    layer: name,
                    message: "mean of shape \(fixedMean.shape) does not broadcast to the kept axes' shape \(statisticsShape)")
            }
            guard fixedVariance.scalars.allSatisfy({ $0 >= 0 }) else {
                throw LayerError.invalidArgument(layer: name, message: "variance must not be negative")
            }
            let means = withoutRecording { fixedMean.broadcast(toShape: statisticsShape).scalars }
            let variances = withoutRecording { fixedVariance.broadcast(toShape: statisticsShape).scalars }
            fixedStatistics = (means, variances.map { Swift.max(sqrtf($0), Self.epsilon) })
        } else {
            mean = addWeight(name: "mean", shape: statisticsShape, initializer: Zeros(), trainable: false)
            variance = addWeight(name: "variance", shape: statisticsShape, initializer: Ones(), trainable: false)
            count = addWeight(name: "count", shape: [], initializer: Zeros(), trainable: false)
        }
    }

    /// Computes the mean and (population) variance of `data` for each index of the kept axes, over
    /// all other axes, and stores them (Keras's `adapt`). Builds the layer from `data`'s shape if needed.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` for data without examples or
    ///   whose rank or kept sizes differ from the shape the layer was built with;
    ///   ``LayerError/invalidArgument(layer:message:)`` for a layer created with fixed statistics, or
    ///   data with non-finite values.
    public func adapt(_ data: Tensor) throws {
        guard fixedMean == nil else {
            throw LayerError.invalidArgument(
                layer: name, message: "adapt(_:) needs a layer created without mean and variance")
        }
        guard data.rank >= 1, data.shape[0] > 0, data.scalarCount > 0 else {
            throw LayerError.incompatibleInput(layer: name, expected: "[examples (at least one), ...]", got: data.shape)
        }
        if isBuilt {
            try checkShape(of: data, role: "adapt data")
        } else {
            try buildIfNeeded([data.shape])
        }
        guard let mean, let variance, let count else { throw LayerError.notBuilt(layer: name, what: "adapt") }
        guard data.scalars.allSatisfy({ $0.isFinite }) else {
            throw LayerError.invalidArgument(layer: name, message: "adapt(_:) got data with NaN or infinite values")
        }
        let reduced = (0..<data.rank).filter { !keptAxes.contains($0) }
        let (batchMean, batchVariance) = withoutRecording { data.moments(alongAxes: reduced) }
        mean.assign(batchMean.reshapedUnrecorded(mean.shape))
        variance.assign(batchVariance.reshapedUnrecorded(variance.shape))
        count.assign(Tensor(Float(data.scalarCount / Swift.max(batchMean.scalarCount, 1))))
    }

    /// The standardized input (or, with ``invert``, the de-standardized one).
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` before ``adapt(_:)`` (see the type's
    ///   notes); ``LayerError/incompatibleInput(layer:expected:got:)`` for inputs whose rank or kept
    ///   sizes differ from the built shape.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try checkShape(of: input, role: "input")
        let centers: [Float], deviations: [Float]
        if let fixedStatistics {
            (centers, deviations) = fixedStatistics
        } else if isAdapted, let mean, let variance {
            centers = mean.value.scalars
            deviations = variance.value.scalars.map { Swift.max(sqrtf($0), Self.epsilon) }
        } else if !training && input.shape.first == 1 && input.scalars.allSatisfy({ $0 == 0 }) {
            // The shape probe of Sequential and the functional API: only the output's shape matters.
            return input.stopGradient()
        } else {
            throw LayerError.invalidArgument(
                layer: name,
                message: "Normalization has no statistics yet: call adapt(_:) on training data before using it "
                    + "(or create it with init(mean:variance:))")
        }
        return apply(input, centers: centers, deviations: deviations)
    }

    /// `(x - center) / deviation` or `center + x · deviation` per index of the kept axes, in one sweep
    /// when they are the last axes (or none), with tensor ops otherwise. Linear in `x` with constant
    /// coefficients, so its gradient is `upstream` times a constant.
    private func apply(_ x: Tensor, centers: [Float], deviations: [Float]) -> Tensor {
        let width = centers.count
        let scale = invert ? deviations : deviations.map { 1 / $0 }
        let shift = invert ? centers : zip(centers, scale).map { -$0 * $1 }
        let trailing = keptAxes == Array((x.rank - keptAxes.count)..<x.rank)
        guard trailing, width > 0, x.scalarCount % width == 0 else {
            let broadcastShape = x.shape.indices.map { keptAxes.contains($0) ? x.shape[$0] : 1 }
            return x * Tensor(shape: broadcastShape, scalars: scale) + Tensor(shape: broadcastShape, scalars: shift)
        }
        let layout = NormalizationKernels.ChannelLayout(shape: [x.scalarCount / width, width], axis: 1)
        let result = NormalizationKernels.channelAffine(x, layout: layout, scale: scale, shift: shift).output
        if Tensor.isRecording {
            let factor = Tensor(shape: keptAxes.map { x.shape[$0] }, scalars: scale)
            result.record(inputs: [x]) { g, _ in [g * factor] }
        }
        return result
    }

    private func checkShape(of tensor: Tensor, role: String) throws {
        let matches = tensor.rank == builtShape.count && keptAxes.allSatisfy { tensor.shape[$0] == builtShape[$0] }
        guard matches else {
            let expected = builtShape.indices.map { keptAxes.contains($0) ? "\(builtShape[$0])" : "_" }
            throw LayerError.incompatibleInput(
                layer: name, expected: "[" + expected.joined(separator: ", ") + "] (\(role))", got: tensor.shape)
        }
    }

    // MARK: - Configuration

    /// `"Normalization"`.
    public static let typeName = "Normalization"

    /// Axis (a list, or null for none), invert, and the fixed mean and variance (null when adapted:
    /// adapted statistics are weights), as Keras saves them.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["axis"] = axis.map { .array($0.map { .int($0) }) } ?? .null
        configuration["invert"] = .bool(invert)
        configuration["mean"] = fixedMean.map(Self.nestedList) ?? .null
        configuration["variance"] = fixedVariance.map(Self.nestedList) ?? .null
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` for a malformed axis, or a mean or variance that is not a number
    ///   or a rectangular nested list of numbers, or only one of them.
    public convenience init(configuration: Configuration) throws {
        let axis: [Int]?
        switch configuration["axis"] {
        case nil: axis = [-1]
        case .null?: axis = nil
        default: axis = try configuration.axes("axis", in: Self.typeName, default: [-1])
        }
        let invert = configuration["invert"]?.boolValue ?? false
        let mean = try Self.tensor(fromNestedList: configuration["mean"], key: "mean")
        let variance = try Self.tensor(fromNestedList: configuration["variance"], key: "variance")
        let name = configuration["name"]?.stringValue
        switch (mean, variance) {
        case let (mean?, variance?):
            self.init(mean: mean, variance: variance, axis: axis, invert: invert, name: name)
        case (nil, nil):
            self.init(axis: axis, invert: invert, name: name)
        default:
            throw configuration.invalid(mean == nil ? "mean" : "variance", in: Self.typeName,
                                        expected: "a value whenever the other of mean and variance has one")
        }
        trainable = configuration["trainable"]?.boolValue ?? true
    }

    /// A tensor as a number (rank 0) or nested lists of numbers, as NumPy's `tolist()`.
    static func nestedList(_ tensor: Tensor) -> JSONValue {
        let scalars = tensor.scalars, shape = tensor.shape
        func build(_ dimension: Int, _ offset: Int) -> JSONValue {
            if dimension == shape.count { return JSONValue(scalars[offset]) }
            let stride = shape[(dimension + 1)...].reduce(1, *)
            return .array((0..<shape[dimension]).map { build(dimension + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }

    /// The inverse of ``nestedList(_:)``; `nil` for an absent or null value.
    static func tensor(fromNestedList value: JSONValue?, key: String) throws -> Tensor? {
        guard let value, value != .null else { return nil }
        var shape: [Int] = []
        var probe = value
        while let elements = probe.arrayValue {
            shape.append(elements.count)
            guard let first = elements.first else { break }
            probe = first
        }
        var scalars: [Float] = []
        func collect(_ value: JSONValue, _ dimension: Int) throws {
            if dimension == shape.count {
                guard let number = value.doubleValue else {
                    throw ConfigurationError.invalidValue(type: typeName, key: key, expected: "numbers", found: value)
                }
                scalars.append(Float(number))
                return
            }
            guard let elements = value.arrayValue, elements.count == shape[dimension] else {
                throw ConfigurationError.invalidValue(
                    type: typeName, key: key, expected: "a rectangular nested list of numbers", found: value)
            }
            for element in elements { try collect(element, dimension + 1) }
        }
        try collect(value, 0)
        return try Tensor(validatingShape: shape, scalars: scalars)
    }
}
