/// Why a layer or model could not build, run, save or load: with the layer's name and, for
/// shapes, what it expected and what it got.
public enum LayerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An input whose shape the layer cannot take.
    case incompatibleInput(layer: String, expected: String, got: [Int])
    /// A layer given the wrong number of inputs.
    case wrongInputCount(layer: String, expected: String, got: Int)
    /// A layer argument outside what it accepts (negative units, a rate outside [0, 1), ...).
    case invalidArgument(layer: String, message: String)
    /// A subclass that neither overrides `call` for one input nor for several.
    case callNotImplemented(layer: String)
    /// Something needs the layer built (its weights created) first.
    case notBuilt(layer: String, what: String)
    /// `fit`, `evaluate` or a train step before `compile`, or with a piece missing.
    case notCompiled(model: String, missing: String)
    /// Data that does not fit the model: counts or shapes that disagree.
    case invalidData(message: String)
    /// A functional graph that cannot be run (an output not reachable from the inputs, ...).
    case invalidGraph(message: String)
    /// The loss became NaN or infinite (TerminateOnNaN and trials report this).
    case nonFiniteLoss(step: Int, value: Float)

    /// What is wrong and where, for people.
    public var description: String {
        switch self {
        case let .incompatibleInput(layer, expected, got):
            return "layer '\(layer)': expected an input of shape \(expected), got \(got)"
        case let .wrongInputCount(layer, expected, got):
            return "layer '\(layer)': expected \(expected) input(s), got \(got)"
        case let .invalidArgument(layer, message):
            return "layer '\(layer)': \(message)"
        case let .callNotImplemented(layer):
            return "layer '\(layer)': override call(_:training:) for one input or call(_:training:) for a list of inputs"
        case let .notBuilt(layer, what):
            return "layer '\(layer)': \(what) needs the layer built; call it on an input first (or give the model an Input)"
        case let .notCompiled(model, missing):
            return "model '\(model)': \(missing); call compile(optimizer:loss:metrics:) first"
        case let .invalidData(message):
            return message
        case let .invalidGraph(message):
            return "functional model: \(message)"
        case let .nonFiniteLoss(step, value):
            return "the loss became \(value) at batch \(step)"
        }
    }
}
