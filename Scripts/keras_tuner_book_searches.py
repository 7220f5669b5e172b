"""The book's three Keras Tuner searches (seed 002), timed for `make bench-compare`.

The twins of `Studies/fashion-mnist-{random,hyperband,bayesian}.yaml`, which `tuner-bench search` runs
with `tuner search` in the same `make bench-compare` run:

- random: `kt.RandomSearch(build_model, max_trials=5, seed=42)`, 10 epochs, pixels scaled by 1/255;
- hyperband: `kt.Hyperband(MyClassificationHyperModel(), max_epochs=10, factor=3,
  hyperband_iterations=2, seed=42)`, `EarlyStopping(patience=2)` on the validation loss, raw pixels;
- bayesian: `kt.BayesianOptimization(MyClassificationHyperModel(), max_trials=10, alpha=1e-4,
  beta=2.6, seed=42)`, 10 epochs, raw pixels.

Data: Debian's dataset-fashion-mnist training images, the first 55,000 for training and the last 5,000
for validation (as the study files' `validation: 5000`). The hypermodel's `normalize` flag standardizes
training and validation inputs with a `Normalization` layer adapted on the training inputs, as
`tuner search` does (the book's listing calls an unadapted layer on the training inputs only, which is
an identity in Keras 3; adapting it is what the flag means and is the same work on both sides).
Keras Tuner runs one trial at a time with TensorFlow's default threads (every core); the book's
TensorBoard callback is left out on both sides.

Each search's time runs from building its data (after `import tensorflow`, which is not counted)
to the end of `search()`. Prints `KERAS_TUNER search_<kind> <seconds> s` and
`KERAS_TUNER search_<kind>_best_val_accuracy <value>` lines.
Usage: keras_tuner_book_searches.py [random] [hyperband] [bayesian]   (default: all three)
"""
import os
import sys
import tempfile
import time


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import keras_tuner as kt  # noqa: E402
from fashion_mnist_idx import training_set  # noqa: E402


def book_data(scale):
    images, labels = training_set()
    images = images.astype("float32")
    labels = labels.astype("int64")
    if scale:
        images = images / 255.0
    return (images[:-5000], labels[:-5000]), (images[-5000:], labels[-5000:])


def build_model(hp):
    # The book's build_model, verbatim but for the Input layer Keras 3 wants before Flatten.
    n_hidden = hp.Int("n_hidden", min_value=0, max_value=8, default=2)
    n_neurons = hp.Int("n_neurons", min_value=16, max_value=256)
    learning_rate = hp.Float("learning_rate", min_value=1e-4, max_value=1e-2, sampling="log")
    optimizer = hp.Choice("optimizer", values=["sgd", "adam"])
    if optimizer == "sgd":
        optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    else:
        optimizer = tf.keras.optimizers.Adam(learning_rate=learning_rate)
    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Input(shape=(28, 28)))
    model.add(tf.keras.layers.Flatten())
    for _ in range(n_hidden):
        model.add(tf.keras.layers.Dense(n_neurons, activation="relu"))
    model.add(tf.keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


class MyClassificationHyperModel(kt.HyperModel):
    def build(self, hp):
        return build_model(hp)

    def fit(self, hp, model, X, y, validation_data=None, **kwargs):
        if hp.Boolean("normalize"):
            norm_layer = tf.keras.layers.Normalization()
            norm_layer.adapt(X)
            X = norm_layer(X)
            if validation_data is not None:
                validation_data = (norm_layer(validation_data[0]), validation_data[1])
        return model.fit(X, y, validation_data=validation_data, **kwargs)


def run(kind, directory):
    start = time.perf_counter()
    (x_train, y_train), (x_valid, y_valid) = book_data(scale=(kind == "random"))
    common = dict(objective="val_accuracy", seed=42, overwrite=True, directory=directory, project_name=kind)
    callbacks = []
    if kind == "random":
        tuner = kt.RandomSearch(build_model, max_trials=5, **common)
    elif kind == "hyperband":
        tuner = kt.Hyperband(MyClassificationHyperModel(), max_epochs=10, factor=3, hyperband_iterations=2, **common)
        callbacks = [tf.keras.callbacks.EarlyStopping(patience=2)]
    elif kind == "bayesian":
        tuner = kt.BayesianOptimization(MyClassificationHyperModel(), max_trials=10, alpha=1e-4, beta=2.6, **common)
    else:
        raise SystemExit(f"unknown search {kind!r}: use random, hyperband or bayesian")
    tuner.search(x_train, y_train, epochs=10, validation_data=(x_valid, y_valid), callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start
    best = tuner.oracle.get_best_trials(1)[0].score
    trials = len(tuner.oracle.trials)
    print(f"KERAS_TUNER search_{kind} {seconds:.1f} s (keras-tuner {kt.__version__}, tensorflow {tf.__version__},"
          f" {trials} trials)", flush=True)
    print(f"KERAS_TUNER search_{kind}_best_val_accuracy {best:.4f}", flush=True)


kinds = sys.argv[1:] or ["random", "hyperband", "bayesian"]
tf.keras.utils.set_random_seed(42)
with tempfile.TemporaryDirectory(prefix="keras-tuner-book-") as folder:
    for kind in kinds:
        run(kind, folder)
