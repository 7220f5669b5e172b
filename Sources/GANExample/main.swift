// `make gan`: the convolutional GAN of the Keras guide "Customizing what happens in fit()" (seed 001)
// trained for 100 batches of 64 Fashion-MNIST images, then a 4x4 grid of generated images written
// to gan-samples.png.
// Usage: gan-example [OUTPUT_PNG]
import Foundation
import Neural
import ReferenceWorkloads

let output = CommandLine.arguments.dropFirst().first ?? "gan-samples.png"
let latentDim = 128, batchSize = 64, batches = 100

do {
    GlobalRandom.seed(42)
    let data = try FashionMNIST(split: .train)
    let count = batchSize * batches
    // The first 6,400 training images scaled to [0, 1], as [count, 28, 28, 1].
    let images = Tensor(shape: [count, 28, 28, 1], scalars: data.images.scalars[0..<(count * 28 * 28)].map { $0 / 255 })

    let gan = GAN(discriminator: GAN.makeDiscriminator(), generator: GAN.makeGenerator(latentDim: latentDim),
                  latentDim: latentDim)
    gan.discriminator.summary()
    gan.generator.summary()
    try gan.compile(discriminatorOptimizer: try Adam(learningRate: 0.0003),
                    generatorOptimizer: try Adam(learningRate: 0.0003),
                    loss: Losses.BinaryCrossentropy(fromLogits: true))

    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        try gan.fit(try ModelData(inputs: [images]), batchSize: batchSize, epochs: 1, shuffle: true)
    }
    print("trained \(batches) batches of \(batchSize) in \(elapsed)")

    let samples = try gan.generate(count: 16)
    try PNGWriter.write(grayscale: try PNGWriter.grid(samples, columns: 4), to: output)
    print("wrote 16 generated images to \(output)")
} catch {
    FileHandle.standardError.write(Data("gan-example: \(error)\n".utf8))
    exit(1)
}
