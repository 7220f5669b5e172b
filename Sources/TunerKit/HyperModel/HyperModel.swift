import Neural
import Tuning

/// Builds — and, if it wants to, trains — the model of one trial from its hyperparameters
/// (Keras Tuner's `HyperModel`).
///
/// `build` defines hyperparameters as it reads them (define-by-run): `try hp.int("units", min: 32,
/// max: 512, step: 32)`. `fit` may tune training too (a batch size, a normalization flag, as the
/// seed's `MyClassificationHyperModel` does); its default trains with `model.fit(arguments)`.
///
/// The tuner calls both on the thread that runs the trial; with `parallelTrials > 1` several trials
/// call them at once, hence `Sendable`.
public protocol HyperModel: Sendable {
    /// The compiled model for the trial's hyperparameters.
    ///
    /// - Throws: anything; the trial then ends as FAILED with the error as its reason.
    func build(_ hp: HyperParameters) throws -> Model

    /// Trains `model` for the trial and returns its history. The default calls `model.fit(arguments)`.
    /// An override may change `arguments` (batch size, data) before calling it, or train otherwise;
    /// it must pass `arguments.callbacks` on, since they report each epoch to the tuner.
    ///
    /// - Throws: anything; the trial then ends as FAILED with the error as its reason.
    func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History
}

extension HyperModel {
    /// Trains with `model.fit(arguments)`.
    public func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
        try model.fit(arguments)
    }
}

/// A hypermodel made of a closure, for the plain `build_model(hp)` case:
/// `ClosureHyperModel { hp in ... return model }`.
public struct ClosureHyperModel: HyperModel {
    private let builder: @Sendable (HyperParameters) throws -> Model

    /// A hypermodel whose `build` calls `builder`.
    public init(_ builder: @escaping @Sendable (HyperParameters) throws -> Model) {
        self.builder = builder
    }

    /// Calls the builder.
    public func build(_ hp: HyperParameters) throws -> Model {
        try builder(hp)
    }
}
