#!/usr/bin/env python3
"""Reference bytes for the TensorBoard module's encoder tests (Tests/TensorBoardTests/EncodingTests.swift).

Builds a few `Event` messages with TensorBoard's copy of TensorFlow's protocol buffers
(tensorboard.compat.proto, the same .proto files TensorFlow has), serializes them with Python's
protobuf, frames one as TensorBoard's own RecordWriter does, and prints JSON: case name -> hex bytes.
The Swift tests build the same messages and compare byte for byte.

Usage (the venv of `make tensorboard-venv`):
  .build/tensorboard-venv/bin/python Scripts/tensorboard_reference.py \
      > Tests/TensorBoardTests/Fixtures/protobuf-reference.json
"""
import io
import json
import math

from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, types_pb2
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
from tensorboard.summary.writer.record_writer import RecordWriter
from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.plugins.hparams import summary_v2 as hparams_summary
import tensorboard


def event(wall_time, step=0, **what):
    return event_pb2.Event(wall_time=wall_time, step=step, **what)


def summary(value):
    return summary_pb2.Summary(value=[value])


def text_value(tag, text):
    tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[text.encode("utf-8")])
    # A scalar's shape has no dimensions, but TensorFlow's writer still sets the field (mutable_tensor_shape).
    tensor.tensor_shape.SetInParent()
    metadata = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    return summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)


cases = {
    "file_version": event(1700000000.5, file_version="brain.Event:2"),
    "scalar": event(1700000000.25, step=3,
                    summary=summary(summary_pb2.Summary.Value(tag="loss", simple_value=0.5))),
    # A zero value is still written (it is a oneof member); a zero step is left out (proto3 default).
    "scalar_zero": event(1700000001.0, step=0,
                         summary=summary(summary_pb2.Summary.Value(tag="train/accuracy", simple_value=0.0))),
    "scalar_nan": event(1700000002.0, step=300,
                        summary=summary(summary_pb2.Summary.Value(tag="nan", simple_value=math.nan))),
    "scalar_negative_infinity_negative_step": event(
        1700000003.0, step=-1,
        summary=summary(summary_pb2.Summary.Value(tag="inf", simple_value=-math.inf))),
    "histogram": event(1700000004.0, step=7, summary=summary(summary_pb2.Summary.Value(
        tag="weights",
        histo=summary_pb2.HistogramProto(
            min=-1.5, max=2.0, num=4, sum=1.0, sum_squares=7.5,
            bucket_limit=[0.25, 1.7976931348623157e308], bucket=[2, 2])))),
    "image": event(1700000005.0, step=2, summary=summary(summary_pb2.Summary.Value(
        tag="sample",
        image=summary_pb2.Summary.Image(height=2, width=3, colorspace=3,
                                        encoded_image_string=bytes(range(0x89, 0x89 + 20)))))),
    "text": event(1700000006.0, step=1, summary=summary(text_value("note", "héllo **world**"))),
}



def deterministic(summary_pb):
    """The summary with each HParams plugin content serialized with sorted map keys (the Swift encoder sorts
    a session's hyperparameters by name; Python's map order is otherwise unspecified)."""
    for value in summary_pb.value:
        content = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
        value.metadata.plugin_data.content = content.SerializeToString(deterministic=True)
    return summary_pb


# The HParams plugin's summaries, made by its own summary functions (no TensorFlow needed for the _pb forms).
hparams_cases = {
    "hparams_experiment": hparams_summary.hparams_config_pb(
        hparams=[
            hparams_summary.HParam("learning_rate", hparams_summary.RealInterval(0.0001, 0.1)),
            hparams_summary.HParam("units", hparams_summary.Discrete([32, 64])),
            hparams_summary.HParam("optimizer", hparams_summary.Discrete(["adam", "sgd"])),
            hparams_summary.HParam("dropout", hparams_summary.Discrete([False, True])),
        ],
        metrics=[
            hparams_summary.Metric("score", display_name="score (val_accuracy)"),
            hparams_summary.Metric("epoch_accuracy", group="validation", display_name="val_accuracy",
                                   dataset_type=hparams_summary.Metric.VALIDATION),
        ],
        time_created_secs=1700000000.0),
    "hparams_session_start": hparams_summary.hparams_pb(
        {"learning_rate": 0.01, "units": 64, "optimizer": "adam", "dropout": True},
        trial_id="trial_3", start_time_secs=1700000001.5),
    # summary.session_end_pb needs TensorFlow; this is the same summary through summary_v2's own helper.
    "hparams_session_end": hparams_summary._summary_pb(
        hparams_metadata.SESSION_END_INFO_TAG,
        plugin_data_pb2.HParamsPluginData(
            session_end_info=plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_FAILURE, end_time_secs=1700000009.25))),
}

reference = {name: message.SerializeToString().hex() for name, message in cases.items()}
for name, summary_pb in hparams_cases.items():
    reference[name] = deterministic(summary_pb).SerializeToString().hex()

buffer = io.BytesIO()
RecordWriter(buffer).write(cases["scalar"].SerializeToString())
reference["scalar_record"] = buffer.getvalue().hex()
# TFRecord's masked CRC-32C, as TensorBoard computes it, of a few byte strings (as unsigned integers).
reference["masked_crc32c"] = {
    "": masked_crc32c(b""),
    "123456789": masked_crc32c(b"123456789"),
    "brain.Event:2": masked_crc32c(b"brain.Event:2"),
}
reference["generator"] = "tensorboard %s" % tensorboard.__version__

print(json.dumps(reference, indent=2, sort_keys=True))
