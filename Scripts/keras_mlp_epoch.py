"""Times one epoch of seed 002's reference MLP in Keras (TensorFlow backend), for `make bench-compare`.

Same model and data as `tuner-bench`'s mlp_epoch: 784-300-100-10, ReLU, softmax, sparse categorical
cross-entropy, SGD 0.01, batch 32, the first 55,000 Fashion-MNIST training images from Debian's
dataset-fashion-mnist files. Prints `KERAS <name> <value> <unit>` lines.
"""
import os
import sys
import time


threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402
from fashion_mnist_idx import training_set  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(threads)


training_images, training_labels = training_set()
x = training_images[:55000].reshape(-1, 784).astype("float32") / 255.0
y = training_labels[:55000].astype("int64")

tf.keras.utils.set_random_seed(1)
model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=(784,)),
    tf.keras.layers.Dense(300, activation="relu"),
    tf.keras.layers.Dense(100, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(learning_rate=0.01),
              metrics=["accuracy"])


class EpochTimer(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.start)


times = []
model.fit(x, y, epochs=4, batch_size=32, verbose=0, callbacks=[EpochTimer()])
# The first epoch includes graph tracing; the median of the others is the steady-state epoch.
steady = sorted(times[1:])[len(times[1:]) // 2]
print(f"KERAS mlp_epoch_{threads}thread {steady:.4f} s (tensorflow {tf.__version__})", flush=True)
