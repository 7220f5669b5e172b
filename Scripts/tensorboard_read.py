#!/usr/bin/env python3
"""Reads one TensorBoard run folder with TensorBoard's own loader and prints what it found as JSON.

The TensorBoard module's test (Tests/TensorBoardTests/TensorBoardReadTests.swift) writes a run with
`SummaryWriter` and checks this output: proof that TensorBoard itself reads our event files. It uses
`EventAccumulator` (tensorboard.backend.event_processing), keeping every event (size guidance 0).

Numbers are printed as Python's repr strings ("0.5", "nan", "inf") because JSON has no NaN or infinity.
Each image's PNG is decoded here too (zlib, filter type 0 as our writer uses), so the test can compare pixels.

Usage: .build/tensorboard-venv/bin/python Scripts/tensorboard_read.py RUN_FOLDER
(the venv of `make tensorboard-venv`).
"""
import json
import struct
import sys
import zlib

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util


def number(value):
    return repr(float(value))


def decode_png(data):
    """(width, height, colour type, pixel bytes) of a non-interlaced 8-bit PNG with unfiltered rows."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour = header[0], header[1], header[2], header[3]
    if depth != 8:
        raise ValueError("bit depth %d" % depth)
    channels = {0: 1, 2: 3}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    pixels = []
    for row in range(height):
        line = raw[row * stride:(row + 1) * stride]
        if line[0] != 0:
            raise ValueError("row filter %d" % line[0])
        pixels.extend(line[1:])
    return width, height, colour, pixels


def plugin_tags(accumulator, plugin):
    """The tags whose metadata names `plugin` (none when no value named it)."""
    try:
        return sorted(accumulator.PluginTagToContent(plugin).keys())
    except KeyError:
        return []


def main(folder):
    accumulator = event_accumulator.EventAccumulator(folder, size_guidance={
        event_accumulator.SCALARS: 0,
        event_accumulator.HISTOGRAMS: 0,
        event_accumulator.IMAGES: 0,
        event_accumulator.TENSORS: 0,
        event_accumulator.COMPRESSED_HISTOGRAMS: 0,
        event_accumulator.AUDIO: 0,
    })
    accumulator.Reload()
    tags = accumulator.Tags()
    result = {
        "file_version": accumulator.file_version,
        "tags": {kind: sorted(names) for kind, names in tags.items() if isinstance(names, list)},
        "scalars": {},
        "histograms": {},
        "images": {},
        "texts": {},
        "text_plugin_tags": plugin_tags(accumulator, "text"),
    }
    for tag in tags[event_accumulator.SCALARS]:
        result["scalars"][tag] = [
            {"step": e.step, "value": number(e.value), "wall_time": e.wall_time}
            for e in accumulator.Scalars(tag)]
    for tag in tags[event_accumulator.HISTOGRAMS]:
        result["histograms"][tag] = [
            {"step": e.step, "min": number(e.histogram_value.min), "max": number(e.histogram_value.max),
             "num": number(e.histogram_value.num), "sum": number(e.histogram_value.sum),
             "sum_squares": number(e.histogram_value.sum_squares),
             "bucket_limit": [number(x) for x in e.histogram_value.bucket_limit],
             "bucket": [number(x) for x in e.histogram_value.bucket]}
            for e in accumulator.Histograms(tag)]
    for tag in tags[event_accumulator.IMAGES]:
        images = []
        for e in accumulator.Images(tag):
            png_width, png_height, colour, pixels = decode_png(e.encoded_image_string)
            images.append({"step": e.step, "width": e.width, "height": e.height, "png_width": png_width,
                           "png_height": png_height, "png_colour_type": colour, "pixels": pixels})
        result["images"][tag] = images
    for tag in tags[event_accumulator.TENSORS]:
        events = accumulator.Tensors(tag)
        metadata = accumulator.SummaryMetadata(tag)
        if metadata.plugin_data.plugin_name != "text":
            continue
        result["texts"][tag] = [
            {"step": e.step, "text": tensor_util.make_ndarray(e.tensor_proto).item().decode("utf-8")}
            for e in events]
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tensorboard_read.py RUN_FOLDER")
    main(sys.argv[1])
