/// The HParams plugin's `Experiment` (tensorboard/plugins/hparams/api.proto): the hyperparameters with their
/// domains and the metrics, which the HParams dashboard shows as its columns and filters.
public struct HParamsExperiment: ProtobufMessage, Equatable {
    /// `name = 6`.
    public var name: String
    /// `description = 1`.
    public var description: String
    /// `user = 2`.
    public var user: String
    /// `time_created_secs = 3`: seconds since 1970.
    public var timeCreatedSecs: Double
    /// `hparam_infos = 4`.
    public var hparamInfos: [HParamInfo]
    /// `metric_infos = 5`.
    public var metricInfos: [MetricInfo]

    /// An experiment with these hyperparameters and metrics.
    public init(name: String = "", description: String = "", user: String = "", timeCreatedSecs: Double = 0,
                hparamInfos: [HParamInfo], metricInfos: [MetricInfo]) {
        self.name = name
        self.description = description
        self.user = user
        self.timeCreatedSecs = timeCreatedSecs
        self.hparamInfos = hparamInfos
        self.metricInfos = metricInfos
    }

    /// Appends the fields by number: 1 to 6.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.stringIfNotDefault(1, description)
        encoder.stringIfNotDefault(2, user)
        encoder.doubleIfNotDefault(3, timeCreatedSecs)
        for info in hparamInfos { encoder.message(4, info) }
        for info in metricInfos { encoder.message(5, info) }
        encoder.stringIfNotDefault(6, name)
    }
}

/// `HParamInfo`: one hyperparameter, its type and its domain.
public struct HParamInfo: ProtobufMessage, Equatable {
    /// `DataType`: the type of the hyperparameter's values.
    public enum DataType: Int64, Sendable {
        /// `DATA_TYPE_UNSET = 0`.
        case unset = 0
        /// `DATA_TYPE_STRING = 1`.
        case string = 1
        /// `DATA_TYPE_BOOL = 2`.
        case bool = 2
        /// `DATA_TYPE_FLOAT64 = 3` (integers too: TensorBoard has no integer type).
        case float64 = 3
    }

    /// `oneof domain`: the values the hyperparameter may take.
    public enum Domain: Sendable, Equatable {
        /// `domain_discrete = 5`: a list of values.
        case discrete([ProtobufValue])
        /// `domain_interval = 6`: the closed interval `[min, max]` (`Interval`: `min_value = 1`, `max_value = 2`).
        case interval(min: Double, max: Double)
    }

    /// `name = 1`: the key of the hyperparameter in each ``SessionStartInfo``.
    public var name: String
    /// `display_name = 2`.
    public var displayName: String
    /// `description = 3`.
    public var description: String
    /// `type = 4`.
    public var type: DataType
    /// The domain; nil for none (the dashboard then takes the values the sessions have).
    public var domain: Domain?

    /// A hyperparameter named `name`.
    public init(name: String, displayName: String = "", description: String = "", type: DataType, domain: Domain?) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.type = type
        self.domain = domain
    }

    /// Appends fields 1 to 6 (`differs = 7` is TensorBoard's own, computed when it lists an experiment).
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.stringIfNotDefault(1, name)
        encoder.stringIfNotDefault(2, displayName)
        encoder.stringIfNotDefault(3, description)
        encoder.int64IfNotDefault(4, type.rawValue)
        switch domain {
        case let .discrete(values): encoder.message(5, ProtobufListValue(values: values))
        case let .interval(min, max): encoder.message(6, Interval(min: min, max: max))
        case nil: break
        }
    }

    /// `Interval`.
    private struct Interval: ProtobufMessage {
        var min: Double
        var max: Double

        func encode(to encoder: inout ProtobufEncoder) {
            encoder.doubleIfNotDefault(1, min)
            encoder.doubleIfNotDefault(2, max)
        }
    }
}

/// `MetricInfo`: one metric, named by the scalar tag it is read from and the run folder (its group)
/// below each session's folder that holds it.
public struct MetricInfo: ProtobufMessage, Equatable {
    /// `DatasetType`: which data the metric is measured on.
    public enum DatasetType: Int64, Sendable {
        /// `DATASET_UNKNOWN = 0`.
        case unknown = 0
        /// `DATASET_TRAINING = 1`.
        case training = 1
        /// `DATASET_VALIDATION = 2`.
        case validation = 2
    }

    /// `MetricName.group = 1`: the run folder below a session's folder ("validation"), "" for the session's own.
    public var group: String
    /// `MetricName.tag = 2`: the scalar's tag ("epoch_accuracy").
    public var tag: String
    /// `display_name = 3`.
    public var displayName: String
    /// `description = 4`.
    public var description: String
    /// `dataset_type = 5`.
    public var datasetType: DatasetType

    /// The metric read from the scalar `tag` in the run folder `group` of each session.
    public init(group: String = "", tag: String, displayName: String = "", description: String = "",
                datasetType: DatasetType = .unknown) {
        self.group = group
        self.tag = tag
        self.displayName = displayName
        self.description = description
        self.datasetType = datasetType
    }

    /// Appends `name = 1` (a `MetricName`), then fields 3 to 5.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.message(1, Name(group: group, tag: tag))
        encoder.stringIfNotDefault(3, displayName)
        encoder.stringIfNotDefault(4, description)
        encoder.int64IfNotDefault(5, datasetType.rawValue)
    }

    /// `MetricName`.
    private struct Name: ProtobufMessage {
        var group: String
        var tag: String

        func encode(to encoder: inout ProtobufEncoder) {
            encoder.stringIfNotDefault(1, group)
            encoder.stringIfNotDefault(2, tag)
        }
    }
}
