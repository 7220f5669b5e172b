import Neural
import Tuning

/// The model part of a study file: data, model template, compile and fit settings.
public struct ModelStudy: Sendable {
    /// Where the training and validation data come from.
    public var data: DataSettings
    /// The model template.
    public var model: ModelTemplate
    /// Loss, optimizer, learning rate and metrics.
    public var compile: CompileSettings
    /// Epochs, batch size, normalization flag and early stopping.
    public var fit: FitSettings
}

/// The `compile` section; each value may name a hyperparameter.
public struct CompileSettings: Sendable {
    /// A loss name (`sparse_categorical_crossentropy`, `mse`, ...).
    public var loss: TemplateValue
    /// An optimizer name (`sgd`, `adam`, `adamw`, `nadam`, `rmsprop`, `adagrad`).
    public var optimizer: TemplateValue
    /// The learning rate (`nil`: the optimizer's default).
    public var learningRate: TemplateValue?
    /// Other optimizer arguments under Keras's names (`momentum`, `beta_1`, `clipnorm`, ...).
    public var optimizerOptions: [String: TemplateValue]
    /// Metric names (`accuracy`, `mae`, ...).
    public var metrics: [TemplateValue]
    /// For a model with several outputs: the weight of each output's loss in the total (Keras's
    /// `loss_weights`); `nil` weighs them equally.
    public var lossWeights: [Double]?
}

/// The `fit` section.
public struct FitSettings: Sendable {
    /// Epochs per trial (Hyperband sets its own per trial).
    public var epochs: Int
    /// Samples per batch (`nil`: 32); may name an integer hyperparameter.
    public var batchSize: TemplateValue?
    /// Whether to shuffle each epoch.
    public var shuffle: Bool
    /// Whether to standardize the inputs with a Normalization layer adapted on the training data
    /// (the seed's `hp.Boolean("normalize")`): `true`, `false` or a boolean hyperparameter.
    public var normalize: TemplateValue?
    /// Early stopping, if any.
    public var earlyStopping: EarlyStoppingSettings?
}

/// `fit.early_stopping`: Keras's `EarlyStopping` arguments.
public struct EarlyStoppingSettings: Sendable, Hashable {
    /// The metric watched (default `val_loss`).
    public var monitor: String
    /// Epochs without improvement before stopping (default 0).
    public var patience: Int
    /// The smallest change counted as an improvement (default 0).
    public var minDelta: Double
    /// Whether to restore the best epoch's weights at the end (default false).
    public var restoreBestWeights: Bool

    /// Settings with Keras's defaults.
    public init(monitor: String = "val_loss", patience: Int = 0, minDelta: Double = 0, restoreBestWeights: Bool = false) {
        self.monitor = monitor
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }
}

/// The `data` section.
public struct DataSettings: Sendable {
    /// How many outputs the model has: each gets the labels as its targets (the book's Wide & Deep
    /// with an auxiliary output trains both on `y`).
    public var outputCount: Int = 1

    /// Where the samples come from.
    public enum Source: Sendable, Hashable {
        /// Fashion-MNIST from Debian's package in `directory` (the training split; its test split
        /// can serve as validation data).
        case fashionMNIST(directory: String)
        /// Images and labels in IDX files (gzip-compressed or not).
        case idx(images: String, labels: String)
        /// A numeric CSV file; `label` is the target column, the others are features.
        case csv(path: String, label: String)
    }

    /// Where validation data comes from.
    public enum Validation: Sendable, Hashable {
        /// No validation data.
        case none
        /// The last `n` training samples.
        case count(Int)
        /// The last fraction of the training samples.
        case fraction(Double)
        /// Fashion-MNIST's test split.
        case testSplit
        /// Separate IDX files.
        case idxFiles(images: String, labels: String)
        /// A separate CSV file with the same columns.
        case csvFile(path: String)
    }

    /// How features are scaled.
    public enum Scaling: Sendable, Hashable {
        /// Divided by a number (255 for pixels).
        case divide(Double)
        /// Standardized per feature with the training data's mean and standard deviation.
        case standardize
    }

    /// The training samples' source (paths already resolved against the study file's folder).
    public var source: Source
    /// The validation samples.
    public var validation: Validation
    /// Feature scaling, if any.
    public var scaling: Scaling?
    /// Use only the first `limit` training samples (before the validation split), for quick runs.
    public var limit: Int?
    /// For a functional model with several inputs: the CSV feature columns of each input, in the
    /// model's input order.
    public var inputColumns: [(name: String, columns: [String])]
}

/// The `command` section of a command study.
public struct CommandStudy: Sendable {
    /// The shell command, with `{name}` placeholders for hyperparameter values.
    public var run: String
    /// The folder the command runs in (resolved against the study file's folder).
    public var workdir: String
    /// Seconds before the command is killed (`nil`: no limit).
    public var timeout: Double?
    /// A regular expression with one capture group that reads the objective from the output
    /// (the last match wins), instead of the last JSON line.
    public var metricPattern: String?
    /// Extra environment variables.
    public var environment: [String: String]

    /// A command study.
    public init(run: String, workdir: String, timeout: Double? = nil, metricPattern: String? = nil, environment: [String: String] = [:]) {
        self.run = run
        self.workdir = workdir
        self.timeout = timeout
        self.metricPattern = metricPattern
        self.environment = environment
    }
}
