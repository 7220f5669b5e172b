import Neural
import Testing

/// Seed 002's Fashion-MNIST classifier as the book trains it: Flatten, Dense 300 ReLU, Dense 100 ReLU,
/// Dense 10 softmax, SGD (learning rate 0.01), 30 epochs of batches of 32 on the first 55,000 training
/// images, validated on the last 5,000. The book reports 88.94 % validation accuracy after 30 epochs;
/// this needs the release build `make test` runs (about 30 s of one core).
@Suite struct BookClassifierTests {
    @Test func thirtyEpochsReachTheBooksValidationAccuracy() throws {
        let data = try #require(BookData.split, "Fashion-MNIST is missing: install Debian's dataset-fashion-mnist (make deps)")
        // One BLAS thread (as every seeded search here holds) and a seeded stream for the weights and
        // shuffles: the same numbers on every run.
        let history = try BLAS.withThreadCount(1) {
            try GlobalRandom.withSeed(42) { () throws -> History in
                let model = Sequential([
                    Input(shape: [28, 28]),
                    Flatten(),
                    Dense(units: 300, activation: .relu),
                    Dense(units: 100, activation: .relu),
                    Dense(units: 10, activation: .softmax()),
                ])
                try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
                return try model.fit(data.x, data.y, epochs: 30, verbosity: .silent, validationData: (data.xValid, data.yValid))
            }
        }
        let validationAccuracy = try #require(history.values["val_accuracy"])
        #expect(validationAccuracy.count == 30)
        // Over five seeds the best epoch reaches 88.7–89.0 % (README); the book's run ends at 88.94 %.
        // Seed 42 here: 88.74 % (2026-12-06; OpenBLAS's kernels differ by CPU, so another machine may
        // land elsewhere in that spread).
        let best = try #require(validationAccuracy.max())
        #expect(best >= 0.885, "best validation accuracy \(best), per epoch \(validationAccuracy)")
    }
}
