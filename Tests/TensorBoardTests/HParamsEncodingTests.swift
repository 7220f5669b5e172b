import Foundation
import TensorBoard
import Testing

/// The HParams plugin's messages byte for byte against the summaries TensorBoard's own
/// `hparams.summary_v2` functions make (Scripts/tensorboard_reference.py → Fixtures/protobuf-reference.json),
/// and the encoding rules they rest on.
@Suite("TensorBoard HParams encoding")
struct HParamsEncodingTests {
    static func summaryBytes(_ data: HParamsPluginData) -> [UInt8] {
        Summary(values: [data.summaryValue]).serializedBytes()
    }

    @Test func theExperimentMatchesHparamsConfigPb() throws {
        let experiment = HParamsExperiment(
            timeCreatedSecs: 1_700_000_000,
            hparamInfos: [
                HParamInfo(name: "learning_rate", type: .float64, domain: .interval(min: 0.0001, max: 0.1)),
                HParamInfo(name: "units", type: .float64, domain: .discrete([.number(32), .number(64)])),
                HParamInfo(name: "optimizer", type: .string, domain: .discrete([.string("adam"), .string("sgd")])),
                HParamInfo(name: "dropout", type: .bool, domain: .discrete([.bool(false), .bool(true)])),
            ],
            metricInfos: [
                MetricInfo(tag: "score", displayName: "score (val_accuracy)"),
                MetricInfo(group: "validation", tag: "epoch_accuracy", displayName: "val_accuracy", datasetType: .validation),
            ])
        let ours = Self.summaryBytes(HParamsPluginData(.experiment(experiment)))
        let expected = try EncodingTests.referenceBytes("hparams_experiment")
        #expect(ours == expected, "ours \(hex(ours)), TensorBoard's \(hex(expected))")
    }

    @Test func aSessionStartMatchesHparamsPbWithItsValuesSortedByName() throws {
        let start = SessionStartInfo(
            hparams: ["learning_rate": .number(0.01), "units": .number(64), "optimizer": .string("adam"), "dropout": .bool(true)],
            groupName: "trial_3", startTimeSecs: 1_700_000_001.5)
        let ours = Self.summaryBytes(HParamsPluginData(.sessionStartInfo(start)))
        let expected = try EncodingTests.referenceBytes("hparams_session_start")
        #expect(ours == expected, "ours \(hex(ours)), TensorBoard's \(hex(expected))")
    }

    @Test func aSessionEndMatchesTensorBoards() throws {
        let end = SessionEndInfo(status: .failure, endTimeSecs: 1_700_000_009.25)
        let ours = Self.summaryBytes(HParamsPluginData(.sessionEndInfo(end)))
        let expected = try EncodingTests.referenceBytes("hparams_session_end")
        #expect(ours == expected, "ours \(hex(ours)), TensorBoard's \(hex(expected))")
    }

    @Test func tagsAreTheOnesTheHParamsPluginLooksFor() {
        #expect(HParamsPluginData(.experiment(HParamsExperiment(hparamInfos: [], metricInfos: []))).tag == "_hparams_/experiment")
        #expect(HParamsPluginData(.sessionStartInfo(SessionStartInfo(hparams: [:], startTimeSecs: 0))).tag
                == "_hparams_/session_start_info")
        #expect(HParamsPluginData(.sessionEndInfo(SessionEndInfo(status: .success, endTimeSecs: 0))).tag
                == "_hparams_/session_end_info")
        let value = HParamsPluginData(.sessionEndInfo(SessionEndInfo(status: .success, endTimeSecs: 0))).summaryValue
        #expect(value.metadata?.pluginName == "hparams")
        // The empty float tensor of shape [0] TensorBoard's NULL_TENSOR is: dtype 1, one dimension of size 0.
        #expect(value.kind == .tensor(TensorProto(dtype: .float, shape: [0])))
        #expect(TensorProto(dtype: .float, shape: [0]).serializedBytes() == [0x08, 0x01, 0x12, 0x02, 0x12, 0x00])
    }

    @Test func valuesWriteTheirOneofMemberEvenWhenZero() {
        // A oneof member that is set is written whatever its value: the reader must know its kind.
        #expect(ProtobufValue.bool(false).serializedBytes() == [0x20, 0x00])
        #expect(ProtobufValue.number(0).serializedBytes() == [0x11, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(ProtobufValue.string("").serializedBytes() == [0x1A, 0x00])
        #expect(ProtobufValue.string("ab").serializedBytes() == [0x1A, 0x02, 0x61, 0x62])
    }
}
