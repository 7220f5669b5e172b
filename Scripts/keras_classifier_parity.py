"""Seed 002's classifier in Keras for 30 epochs, to compare validation accuracy with
`fashion-mnist-classifier` on the same split (first 55,000 / last 5,000 of Debian's training files).
Usage: .bench/venv/bin/python Scripts/keras_classifier_parity.py SEED [SEED ...]
Prints `KERAS parity seed=S final_val_accuracy=... best_val_accuracy=...` per seed."""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from fashion_mnist_idx import training_set  # noqa: E402


training_images, training_labels = training_set()
x = training_images.astype("float32") / 255.0
y = training_labels.astype("int64")
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
