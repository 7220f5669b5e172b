"""Fashion-MNIST from Debian's dataset-fashion-mnist files, for the Keras comparison scripts.

The scripts run as `python Scripts/<name>.py`, so this folder is on their import path.
"""
import gzip

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path):
    """One IDX file (gzip), as a uint8 array of the shape its header gives."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def training_set():
    """The 60,000 training images `[60000, 28, 28]` (uint8, 0...255) and their labels."""
    return idx(f"{DATA}/train-images-idx3-ubyte.gz"), idx(f"{DATA}/train-labels-idx1-ubyte.gz")
