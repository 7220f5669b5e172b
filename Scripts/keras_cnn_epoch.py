"""Times one epoch of the small Fashion-MNIST CNN in Keras (TensorFlow backend), for `make bench-compare`.

Same model and data as `tuner-bench`'s cnn_epoch_1thread: Conv2D 32 3x3 ReLU, MaxPooling 2, Conv2D 64
3x3 ReLU, MaxPooling 2, Flatten, Dense 128 ReLU, Dense 10 softmax; Adam (defaults), sparse categorical
cross-entropy, accuracy, batch 32, the first 55,000 Fashion-MNIST training images (scaled to [0, 1])
from Debian's dataset-fashion-mnist files. Prints a `KERAS <name> <value> <unit>` line.
"""
import os
import sys
import time


threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402
from fashion_mnist_idx import training_set  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(threads)


training_images, training_labels = training_set()
x = training_images[:55000].reshape(-1, 28, 28, 1).astype("float32") / 255.0
y = training_labels[:55000].astype("int64")

tf.keras.utils.set_random_seed(1)
model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(28, 28, 1)),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Conv2D(64, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.Adam(), metrics=["accuracy"])


class EpochTimer(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.start)


times = []
# The first epoch includes graph tracing; the second is the steady-state epoch.
model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[EpochTimer()])
print(f"KERAS cnn_epoch_{threads}thread {times[-1]:.4f} s (tensorflow {tf.__version__})", flush=True)
