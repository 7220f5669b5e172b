// Seed 002's image classifier with the Sequential API, as the book writes it:
//
//   model = tf.keras.Sequential([Input(shape=[28, 28]), Flatten(), Dense(300, "relu"),
//                                Dense(100, "relu"), Dense(10, "softmax")])
//   model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
//   history = model.fit(X_train, y_train, epochs=30, validation_data=(X_valid, y_valid))
//   model.evaluate(X_test, y_test)
//
// Usage: fashion-mnist-classifier [--epochs N] [--seed N]   (the book: 30 epochs, 88.94 % validation accuracy)
import Foundation
import Neural

func option(_ name: String, default value: Int) throws -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name) else { return value }
    guard index + 1 < CommandLine.arguments.count, let parsed = Int(CommandLine.arguments[index + 1]), parsed > 0 else {
        throw LayerError.invalidData(message: "\(name) needs a positive integer")
    }
    return parsed
}

func run() throws {
    let epochs = try option("--epochs", default: 30)
    GlobalRandom.seed(UInt64(try option("--seed", default: 42)))
    BLAS.setThreadCount(1)

    let full = try FashionMNIST(split: .train)
    let test = try FashionMNIST(split: .test)
    let images = full.images / 255, testImages = test.images / 255
    let labels = Tensor(full.labels.map(Float.init)), testLabels = Tensor(test.labels.map(Float.init))
    // The book's split: the last 5,000 training images validate.
    let xTrain = images[..<55_000], yTrain = labels[..<55_000]
    let xValid = images[55_000...], yValid = labels[55_000...]

    let model = Sequential([
        Input(shape: [28, 28]),
        Flatten(),
        Dense(units: 300, activation: .relu),
        Dense(units: 100, activation: .relu),
        Dense(units: 10, activation: .softmax()),
    ])
    model.summary()
    try model.compile(optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
    let history = try model.fit(xTrain, yTrain, epochs: epochs, validationData: (xValid, yValid))
    let testLogs = try model.evaluate(testImages, testLabels)
    print("best val_accuracy: \(history.values["val_accuracy"]?.max() ?? .nan); test: \(testLogs)")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("fashion-mnist-classifier: \(error)\n".utf8))
    exit(1)
}
