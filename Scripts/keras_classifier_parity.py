"""Seed 002's classifier in Keras for 30 epochs, to compare validation accuracy with
`fashion-mnist-classifier` on the same split (first 55,000 / last 5,000 of Debian's training files).
Usage: .bench/venv/bin/python Scripts/keras_classifier_parity.py SEED [SEED ...]
Prints `KERAS parity seed=S final_val_accuracy=... best_val_accuracy=...` per seed."""
import gzip
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


x = idx(f"{DATA}/train-images-idx3-ubyte.gz").astype("float32") / 255.0
y = idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype("int64")
for seed in [int(s) for s in sys.argv[1:]] or [42]:
    tf.keras.utils.set_random_seed(seed)
    model = tf.keras.Sequential([
        tf.keras.layers.Input(shape=[28, 28]),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(300, activation="relu"),
        tf.keras.layers.Dense(100, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
    history = model.fit(x[:55000], y[:55000], epochs=30, validation_data=(x[55000:], y[55000:]), verbose=0)
    accuracies = history.history["val_accuracy"]
    print(f"KERAS parity seed={seed} final_val_accuracy={accuracies[-1]:.4f} best_val_accuracy={max(accuracies):.4f}",
          flush=True)
