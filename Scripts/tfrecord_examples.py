#!/usr/bin/env python3
"""Reads and writes TFRecord files of tf.train.Example with TensorBoard's copy of TensorFlow's record code
and Python's protobuf, for Tests/TensorBoardTests/ExampleInteropTests.swift: proof that our `Example`
bytes and record files are TensorFlow's.

TensorBoard's pip package has TensorFlow's TFRecord reader (tensorflow_stub's PyRecordReader_New, which
checks both CRC-32C checksums) and writer (tensorboard.summary.writer.record_writer), but not the
example.proto / feature.proto messages; they are built here from their definitions (TensorFlow's
tensorflow/core/example/feature.proto and example.proto, package `tensorflow`) with protobuf's descriptor
API, so the wire format is protobuf's own, not ours.

Usage (the venv of `make tensorboard-venv`):
  python Scripts/tfrecord_examples.py read FILE    prints the examples of FILE as JSON
  python Scripts/tfrecord_examples.py write FILE   writes seed 004's contact and a second example to FILE
JSON: a list of {feature name: {"kind": "bytes_list"|"float_list"|"int64_list", "value": [...]}}, bytes as
lists of byte values, floats as repr strings (exact float32 values), int64s as numbers.
"""
import json
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.compat.tensorflow_stub import errors
from tensorboard.summary.writer.record_writer import RecordWriter


def example_class():
    """tensorflow.Example, from the definitions of feature.proto and example.proto."""
    FD = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="tuner_example.proto", package="tensorflow", syntax="proto3")

    def message(name, fields, nested=()):
        m = file.message_type.add(name=name)
        for field in fields:
            m.field.add(**field)
        for n in nested:
            m.nested_type.add().CopyFrom(n)
        return m

    packed = descriptor_pb2.FieldOptions(packed=True)
    message("BytesList", [dict(name="value", number=1, label=FD.LABEL_REPEATED, type=FD.TYPE_BYTES)])
    message("FloatList", [dict(name="value", number=1, label=FD.LABEL_REPEATED, type=FD.TYPE_FLOAT, options=packed)])
    message("Int64List", [dict(name="value", number=1, label=FD.LABEL_REPEATED, type=FD.TYPE_INT64, options=packed)])
    feature = message("Feature", [
        dict(name="bytes_list", number=1, label=FD.LABEL_OPTIONAL, type=FD.TYPE_MESSAGE, type_name=".tensorflow.BytesList", oneof_index=0),
        dict(name="float_list", number=2, label=FD.LABEL_OPTIONAL, type=FD.TYPE_MESSAGE, type_name=".tensorflow.FloatList", oneof_index=0),
        dict(name="int64_list", number=3, label=FD.LABEL_OPTIONAL, type=FD.TYPE_MESSAGE, type_name=".tensorflow.Int64List", oneof_index=0),
    ])
    feature.oneof_decl.add(name="kind")
    entry = descriptor_pb2.DescriptorProto(name="FeatureEntry", options=descriptor_pb2.MessageOptions(map_entry=True))
    entry.field.add(name="key", number=1, label=FD.LABEL_OPTIONAL, type=FD.TYPE_STRING)
    entry.field.add(name="value", number=2, label=FD.LABEL_OPTIONAL, type=FD.TYPE_MESSAGE, type_name=".tensorflow.Feature")
    message("Features", [dict(name="feature", number=1, label=FD.LABEL_REPEATED, type=FD.TYPE_MESSAGE,
                              type_name=".tensorflow.Features.FeatureEntry")], nested=[entry])
    message("Example", [dict(name="features", number=1, label=FD.LABEL_OPTIONAL, type=FD.TYPE_MESSAGE, type_name=".tensorflow.Features")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorflow.Example"))


Example = example_class()


def read(path):
    reader = PyRecordReader_New(path)
    examples = []
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        example = Example()
        example.ParseFromString(reader.record())
        parsed = {}
        for key, feature in example.features.feature.items():
            kind = feature.WhichOneof("kind")
            values = list(getattr(feature, kind).value) if kind else []
            if kind == "bytes_list":
                values = [list(v) for v in values]
            elif kind == "float_list":
                values = [repr(v) for v in values]
            parsed[key] = {"kind": kind, "value": values}
        examples.append(parsed)
    print(json.dumps(examples))


def write(path):
    writer = RecordWriter(open(path, "wb"))
    # Seed 004's contact, as its slides build it.
    person = Example()
    person.features.feature["name"].bytes_list.value.append(b"Alice")
    person.features.feature["id"].int64_list.value.append(123)
    person.features.feature["emails"].bytes_list.value.extend([b"a@b.com", b"c@d.com"])
    writer.write(person.SerializeToString())
    # A second contact with no emails and a float feature, negative and large int64s, an empty list.
    other = Example()
    other.features.feature["name"].bytes_list.value.append("Zoë".encode())
    other.features.feature["id"].int64_list.value.extend([-1])
    other.features.feature["scores"].float_list.value.extend([0.1, -2.5, 3.0e38])
    other.features.feature["big"].int64_list.value.extend([2**62, -(2**63)])
    other.features.feature["empty"].float_list.SetInParent()
    writer.write(other.SerializeToString())
    writer.close()


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
