import Neural
import Testing

/// Regression data shared by the value tests; expected numbers from Scripts/loss_metric_reference.py
/// (a NumPy transcription of Keras 3's formulas), checked by hand where short.
private let yTrue = Tensor([[0.5, 1.0, -0.3], [2.0, -1.0, 0.7]])
private let yPred = Tensor([[0.4, 1.8, 0.2], [-0.5, -1.2, 0.9]])
private let weights = Tensor([0.3, 1.2])

/// The values of each loss against Keras's numbers, for every reduction, with and without weights.
@Suite struct LossValueTests {
    /// `mse = mean((t - p)²)` per row: (0.01 + 0.64 + 0.25) / 3 = 0.3 and (6.25 + 0.04 + 0.04) / 3 = 2.11.
    @Test func meanSquaredErrorReductions() {
        let losses = Losses.MeanSquaredError(reduction: .none)
        expectClose(losses(yTrue, yPred), [0.3, 2.11], shape: [2])
        expectClose(losses(yTrue, yPred, sampleWeight: weights), [0.09, 2.532], shape: [2])
        expectClose(Losses.MeanSquaredError()(yTrue, yPred), [1.205], shape: [])
        expectClose(Losses.MeanSquaredError()(yTrue, yPred, sampleWeight: weights), [1.311])
        expectClose(Losses.MeanSquaredError(reduction: .sum)(yTrue, yPred), [2.41])
        expectClose(Losses.MeanSquaredError(reduction: .sum)(yTrue, yPred, sampleWeight: weights), [2.622])
        expectClose(Losses.MeanSquaredError(reduction: .meanWithSampleWeight)(yTrue, yPred), [1.205])
        expectClose(
            Losses.MeanSquaredError(reduction: .meanWithSampleWeight)(yTrue, yPred, sampleWeight: weights), [1.748])
    }

    @Test func meanAbsoluteErrorReductions() {
        expectClose(Losses.MeanAbsoluteError(reduction: .none)(yTrue, yPred), [0.4666667, 0.9666667])
        expectClose(Losses.MeanAbsoluteError()(yTrue, yPred), [0.7166667])
        expectClose(Losses.MeanAbsoluteError()(yTrue, yPred, sampleWeight: weights), [0.65])
        expectClose(Losses.MeanAbsoluteError(reduction: .sum)(yTrue, yPred, sampleWeight: weights), [1.3])
        expectClose(
            Losses.MeanAbsoluteError(reduction: .meanWithSampleWeight)(yTrue, yPred, sampleWeight: weights), [0.8666667])
    }

    /// Row 1: errors -0.1, 0.8, 0.5 are all within delta 1: (0.005 + 0.32 + 0.125) / 3 = 0.15.
    /// Row 2: error -2.5 is linear (2.5 - 0.5 = 2), the others 0.02 each: 2.04 / 3 = 0.68.
    @Test func huberReductionsAndDelta() {
        expectClose(Losses.Huber(reduction: .none)(yTrue, yPred), [0.15, 0.68])
        expectClose(Losses.Huber()(yTrue, yPred), [0.415])
        expectClose(Losses.Huber()(yTrue, yPred, sampleWeight: weights), [0.4305])
        expectClose(Losses.Huber(reduction: .sum)(yTrue, yPred, sampleWeight: weights), [0.861])
        expectClose(Losses.Huber(reduction: .meanWithSampleWeight)(yTrue, yPred, sampleWeight: weights), [0.574])
        expectClose(Losses.Huber(delta: 0.5, reduction: .none)(yTrue, yPred), [0.135, 0.3883333])
    }

    /// Keras's documented examples for the regression losses.
    @Test func kerasDocumentedRegressionExamples() {
        expectClose(Losses.MeanSquaredError()(Tensor([1, 0, 1]), Tensor([0.9, 0.1, 0.8])), [0.02])
        expectClose(Losses.MeanAbsoluteError()(Tensor([1, 0.3, 1]), Tensor([1.9, 0.3, 1.8])), [0.5666667])
        expectClose(Losses.Huber()(Tensor([[0, 1], [0, 0]]), Tensor([[0.6, 0.4], [0.4, 0.6]])), [0.155])
        expectClose(Losses.MeanSquaredError()(Tensor([[0, 1], [0, 0]]), Tensor([[1, 1], [1, 0]])), [0.5])
        expectClose(
            Losses.MeanSquaredError()(Tensor([[0, 1], [0, 0]]), Tensor([[1, 1], [1, 0]]), sampleWeight: Tensor([0.7, 0.3])),
            [0.25])
    }

    /// Regression targets `[batch]` meet predictions `[batch, 1]` as `[batch, 1]`, not `[batch, batch]`.
    @Test func targetsAndColumnPredictionsAreRankMatched() {
        let targets = Tensor([1, 2, 3])
        let predictions = Tensor([[1.5], [1.0], [3.25]])
        expectClose(Losses.MeanSquaredError(reduction: .none)(targets, predictions), [0.25, 1, 0.0625], shape: [3])
        expectClose(Losses.MeanSquaredError()(targets, predictions), [0.4375], shape: [])
        // Weights of shape [batch, 1] are matched the same way.
        expectClose(
            Losses.MeanSquaredError(reduction: .sum)(targets, predictions, sampleWeight: Tensor([[2], [1], [0]])), [1.5])
        let (a, b) = Losses.squeezeOrExpandToSameRank(Tensor(zeros: [4, 3, 1]), Tensor(zeros: [4, 3]))
        #expect(a.shape == [4, 3] && b.shape == [4, 3])
        let (c, d) = Losses.squeezeOrExpandToSameRank(Tensor(zeros: [4, 3]), Tensor(zeros: [4]))
        #expect(c.shape == [4, 3] && d.shape == [4])
    }

    /// Keras's `reduce_values`: a scalar or empty loss comes back as it is; a zero weight sum gives 0.
    @Test func reductionEdgeCases() {
        let scalar = Losses.reduce(Tensor(2.5), reduction: .sum)
        #expect(scalar.shape == [] && scalar.scalar == 2.5)
        #expect(Losses.reduce(Tensor(zeros: [0]), reduction: .sumOverBatchSize).shape == [0])
        let zeroWeights = Losses.reduce(
            Tensor([1, 2]), sampleWeight: Tensor([0, 0]), reduction: .meanWithSampleWeight)
        #expect(zeroWeights.scalar == 0)
        // A scalar weight scales every loss.
        expectClose(Losses.reduce(Tensor([1, 2]), sampleWeight: Tensor(3), reduction: .sumOverBatchSize), [4.5])
    }

    /// Keras's `SparseCategoricalCrossentropy` docstring: 1.177, 0.814 weighted, 2.354 summed,
    /// [0.0513, 2.303] unreduced.
    @Test func sparseCategoricalCrossentropyKerasExample() {
        let labels = Tensor([1, 2])
        let probabilities = Tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        let loss = Losses.SparseCategoricalCrossentropy()
        expectClose(loss(labels, probabilities), [1.1769392], tolerance: 1e-5)
        expectClose(loss(labels, probabilities, sampleWeight: Tensor([0.3, 0.7])), [0.8135988], tolerance: 1e-5)
        expectClose(Losses.SparseCategoricalCrossentropy(reduction: .sum)(labels, probabilities), [2.3538784])
        expectClose(
            Losses.SparseCategoricalCrossentropy(reduction: .none)(labels, probabilities), [0.0512933, 2.3025851])
        // Labels of shape [batch, 1] give the same losses.
        expectClose(
            Losses.SparseCategoricalCrossentropy(reduction: .none)(Tensor([[1], [2]]), probabilities),
            [0.0512933, 2.3025851], shape: [2])
    }

    /// From probabilities each row is normalized first (the third row sums to 1.2: -log(0.6 / 1.2));
    /// from logits it is `logSumExp - logit[label]`.
    @Test func sparseCategoricalCrossentropyNormalizesAndTakesLogits() {
        let labels = Tensor([1, 2, 0])
        let probabilities = Tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.6, 0.3, 0.3]])
        let logits = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-0.3, 0.2, 0.4]])
        expectClose(
            Losses.SparseCategoricalCrossentropy(reduction: .none)(labels, probabilities),
            [0.0512933, 2.3025851, 0.6931472])
        expectClose(
            Losses.SparseCategoricalCrossentropy(fromLogits: true, reduction: .none)(labels, logits),
            [1.41703, 3.6531782, 1.5395463])
        // A probability of 0 is clipped to 1e-7: -log(1e-7) = 16.118.
        expectClose(
            Losses.SparseCategoricalCrossentropy(reduction: .none)(Tensor([2]), Tensor([[0.5, 0.5, 0]])), [16.118095])
        // Predictions [batch, time, classes] with labels [batch, time] give losses [batch, time].
        let sequenceLogits = Tensor([[[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], [[-0.3, 0.2, 0.4], [2.0, 1.0, 0.1]]])
        let sequence = Losses.SparseCategoricalCrossentropy(fromLogits: true, reduction: .none)(
            Tensor([[1, 2], [0, 1]]), sequenceLogits)
        expectClose(sequence, [1.41703, 3.6531782, 1.5395463, 1.41703], shape: [2, 2])
    }

    @Test func categoricalCrossentropyValues() {
        let onehot = Tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        let probabilities = Tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.6, 0.3, 0.3]])
        let logits = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-0.3, 0.2, 0.4]])
        expectClose(
            Losses.CategoricalCrossentropy(reduction: .none)(onehot, probabilities), [0.0512933, 2.3025851, 0.6931472])
        expectClose(
            Losses.CategoricalCrossentropy(labelSmoothing: 0.1, reduction: .none)(onehot, probabilities),
            [0.6850014, 2.2332704, 0.739357], tolerance: 2e-5)
        expectClose(
            Losses.CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.2, reduction: .none)(onehot, logits),
            [1.4103633, 3.319845, 1.4595462])
        let soft = Tensor([[0.2, 0.7, 0.1], [0, 0.5, 0.5], [1, 0, 0]])
        expectClose(
            Losses.CategoricalCrossentropy(fromLogits: true, reduction: .none)(soft, logits),
            [1.30703, 1.9031782, 1.5395463])
        // Keras's docstring: 1.177 and 0.814 with weights [0.3, 0.7].
        let docTargets = Tensor([[0, 1, 0], [0, 0, 1]])
        let docPredictions = Tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        expectClose(Losses.CategoricalCrossentropy()(docTargets, docPredictions), [1.1769392], tolerance: 1e-5)
        expectClose(
            Losses.CategoricalCrossentropy()(docTargets, docPredictions, sampleWeight: Tensor([0.3, 0.7])),
            [0.8135988], tolerance: 1e-5)
    }

    /// Keras's `binary_crossentropy` and `BinaryCrossentropy(from_logits=True)` docstrings.
    @Test func binaryCrossentropyKerasExamples() {
        let targets = Tensor([[0, 1], [0, 0]])
        expectClose(
            Losses.BinaryCrossentropy(reduction: .none)(targets, Tensor([[0.6, 0.4], [0.4, 0.6]])),
            [0.9162908, 0.7135582])
        expectClose(
            Losses.BinaryCrossentropy(labelSmoothing: 0.2, reduction: .none)(targets, Tensor([[0.6, 0.4], [0.4, 0.6]])),
            [0.8757442, 0.7135582])
        let logits = Tensor([[-18.6, 0.51], [2.94, -12.8]])
        let fromLogits = Losses.BinaryCrossentropy(fromLogits: true)
        expectClose(fromLogits(targets, logits), [0.865458], tolerance: 1e-4)
        expectClose(fromLogits(targets, logits, sampleWeight: Tensor([0.8, 0.2])), [0.2436386], tolerance: 1e-4)
        expectClose(Losses.BinaryCrossentropy(fromLogits: true, reduction: .sum)(targets, logits), [1.7309161], tolerance: 1e-4)
        expectClose(
            Losses.BinaryCrossentropy(fromLogits: true, reduction: .none)(targets, logits), [0.2351567, 1.4957594],
            tolerance: 1e-4)
        expectClose(fromLogits(Tensor([0, 1, 0, 0]), Tensor([-18.6, 0.51, 2.94, -12.8])), [0.865458], tolerance: 1e-4)
        // Certain, wrong predictions are clipped at 1e-7: both elements give about 16.03.
        expectClose(
            Losses.BinaryCrossentropy(reduction: .none)(Tensor([[1, 0]]), Tensor([[0, 1]])), [16.030239], tolerance: 1e-4)
        // Targets [batch] against predictions [batch, 1].
        expectClose(
            Losses.BinaryCrossentropy(reduction: .none)(Tensor([1, 0]), Tensor([[0.8], [0.3]])),
            [0.2231435, 0.3566749], shape: [2])
    }

    /// `fromLogits: true` on logits equals `fromLogits: false` on their softmax / sigmoid.
    @Test func fromLogitsMatchesProbabilities() {
        let logits = randomTensor([5, 4], seed: 3, lower: -3, upper: 3)
        let labels = Tensor([3, 0, 1, 3, 2])
        let onehot = Tensor(oneHotAtIndices: [3, 0, 1, 3, 2], depth: 4)
        expectClose(
            Losses.SparseCategoricalCrossentropy(fromLogits: true, reduction: .none)(labels, logits),
            Losses.SparseCategoricalCrossentropy(reduction: .none)(labels, logits.softmax()).scalars, tolerance: 1e-5)
        expectClose(
            Losses.CategoricalCrossentropy(fromLogits: true, reduction: .none)(onehot, logits),
            Losses.CategoricalCrossentropy(reduction: .none)(onehot, logits.softmax()).scalars, tolerance: 1e-5)
        let binaryTargets = Tensor(shape: [5, 4], scalars: (0..<20).map { Float($0 % 3 == 0 ? 1 : 0) })
        expectClose(
            Losses.BinaryCrossentropy(fromLogits: true, reduction: .none)(binaryTargets, logits),
            Losses.BinaryCrossentropy(reduction: .none)(binaryTargets, logits.sigmoid()).scalars, tolerance: 1e-5)
        // Sparse and categorical agree on one-hot targets.
        expectClose(
            Losses.SparseCategoricalCrossentropy(fromLogits: true)(labels, logits),
            Losses.CategoricalCrossentropy(fromLogits: true)(onehot, logits).scalars, tolerance: 1e-6)
    }

    /// Seed 000's `huber_fn` as a closure loss: the same values as the built-in Huber with delta 1, and
    /// `create_huber(2.0)` the same as delta 2.
    @Test func seedHuberFunctionAsClosureLoss() {
        let targets = Tensor([0.5, 2.0, -1.0, 3.0])
        let predictions = Tensor([[0.25], [4.5], [-1.5], [-0.5]])
        let loss = ClosureLoss(name: "huber_fn", SeedHuber.huberFn)
        expectClose(loss(targets, predictions), Losses.Huber()(targets, predictions).scalars)
        let perSample = ClosureLoss(name: "huber_fn", reduction: .none, SeedHuber.huberFn)(targets, predictions)
        #expect(perSample.shape == [4, 1])
        let twice = ClosureLoss(name: "huber_fn", SeedHuber.createHuber(threshold: 2))
        expectClose(twice(targets, predictions), Losses.Huber(delta: 2)(targets, predictions).scalars)
    }

    /// Keras's string identifiers, and registered functions, resolve to losses; others throw.
    @Test func namesResolveToLosses() throws {
        #expect(try Losses.named("mse") is Losses.MeanSquaredError)
        #expect(try Losses.named("mean_squared_error") is Losses.MeanSquaredError)
        #expect(try Losses.named("mae") is Losses.MeanAbsoluteError)
        #expect(try Losses.named("huber") is Losses.Huber)
        #expect(try Losses.named("sparse_categorical_crossentropy") is Losses.SparseCategoricalCrossentropy)
        #expect(try Losses.named("categorical_crossentropy") is Losses.CategoricalCrossentropy)
        #expect(try Losses.named("binary_crossentropy") is Losses.BinaryCrossentropy)
        #expect(try Losses.named("BinaryCrossentropy") is Losses.BinaryCrossentropy)
        #expect(try Losses.named("mse").name == "mean_squared_error")
        do {
            _ = try Losses.named("mean_squared_eror")
            Issue.record("an unknown name should throw")
        } catch {
            guard case let .unknownLoss(name, known) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(name == "mean_squared_eror")
            #expect(known.contains("mse") && known.contains("sparse_categorical_crossentropy"))
        }
        Losses.register(function: SeedHuber.huberFn, named: "huber_fn_lookup_test")
        let closure = try Losses.named("huber_fn_lookup_test")
        #expect(closure is ClosureLoss && closure.name == "huber_fn_lookup_test")
        #expect(String(describing: NameLookupError.unknownLoss(name: "x", known: ["mse"])).contains("mse"))
    }
}

/// Seed 000's `huber_fn` and `create_huber(threshold)`, written with tensor ops as the seed does.
enum SeedHuber {
    static let huberFn: Losses.Function = { yTrue, yPred in
        let error = yTrue - yPred
        let isSmallError = error.abs() .< 1
        let squaredLoss = error.squared() / 2
        let linearLoss = error.abs() - 0.5
        return Tensor.where(isSmallError, squaredLoss, linearLoss)
    }

    static func createHuber(threshold: Float = 1) -> Losses.Function {
        { yTrue, yPred in
            let error = yTrue - yPred
            let isSmallError = error.abs() .< threshold
            let squaredLoss = error.squared() / 2
            let linearLoss = threshold * error.abs() - threshold * threshold / 2
            return Tensor.where(isSmallError, squaredLoss, linearLoss)
        }
    }
}
