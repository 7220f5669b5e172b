// The reference MLP of seed 002 on Fashion-MNIST, trained with seed 000's custom loop on the tape.
// Usage: mlp-demo [--epochs N] [--threads N] [--seed N]
import Neural
import ReferenceWorkloads

import Foundation

struct DemoOptions {
    var epochs = 10
    var threads = 2
    var seed: UInt64 = 42

    init(arguments: [String]) throws(DemoError) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--epochs": epochs = try Self.positive(value, flag)
            case "--threads": threads = try Self.positive(value, flag)
            case "--seed": seed = UInt64(try Self.positive(value, flag))
            default: throw .usage("unknown option \(flag)")
            }
        }
    }

    private static func positive(_ text: String, _ flag: String) throws(DemoError) -> Int {
        guard let value = Int(text), value > 0 else { throw .usage("\(flag) needs a positive integer, got '\(text)'") }
        return value
    }
}

enum DemoError: Error, CustomStringConvertible {
    case usage(String)
    var description: String {
        switch self {
        case .usage(let message): return "\(message)\nusage: mlp-demo [--epochs N] [--threads N] [--seed N]"
        }
    }
}

func formatted(_ value: Float) -> String {
    let scaled = (Double(value) * 10000).rounded() / 10000
    var text = "\(scaled)"
    while text.split(separator: ".").last.map({ $0.count < 4 }) ?? false { text += "0" }
    return text
}

func run() throws {
    let options = try DemoOptions(arguments: CommandLine.arguments)
    BLAS.setThreadCount(options.threads)
    let (train, validation) = try ClassificationData.fashionMNIST()
    var generator = SeededGenerator(seed: options.seed)
    let model = ReferenceMLP(generator: &generator)
    print("Fashion-MNIST: \(train.count) training and \(validation.count) validation images")
    print("Model 784-300-100-10 (ReLU, softmax), \(model.parameterCount) parameters; SGD lr 0.01, batch 32, \(options.threads) BLAS thread(s)")
    let interactive = isatty(STDOUT_FILENO) != 0
    for epoch in 1...options.epochs {
        print("Epoch \(epoch)/\(options.epochs)")
        let result = try model.trainEpoch(train, batchSize: 32, learningRate: 0.01, generator: &generator) { step, steps, loss, accuracy in
            guard interactive, step % 20 == 0 || step == steps else { return }
            let width = 30, done = width * step / steps
            let bar = String(repeating: "=", count: max(done - 1, 0)) + (done < width ? ">" : "=")
                + String(repeating: ".", count: width - done)
            print("\r\(step)/\(steps) [\(bar)] - loss: \(formatted(loss)) - accuracy: \(formatted(accuracy))", terminator: "")
            fflush(nil)
        }
        let (valLoss, valAccuracy) = model.evaluate(validation)
        let perStep = Int((result.seconds / Double(result.steps) * 1e6).rounded())
        let seconds = (result.seconds * 100).rounded() / 100
        let line = "\(result.steps)/\(result.steps) [==============================] - \(seconds)s \(perStep)us/step"
            + " - loss: \(formatted(result.loss)) - accuracy: \(formatted(result.accuracy))"
            + " - val_loss: \(formatted(valLoss)) - val_accuracy: \(formatted(valAccuracy))"
        print(interactive ? "\r" + line : line)
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("mlp-demo: \(error)\n".utf8))
    exit(1)
}
