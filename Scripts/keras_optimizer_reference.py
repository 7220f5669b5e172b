#!/usr/bin/env python3
"""Reference trajectories of the Keras 3 optimizers, for the Swift optimizer tests.

Runs every optimizer configuration the Swift tests check for a few steps on two small float32
variables (a [2, 3] matrix and a [3] vector) with gradients that depend on the current values
(g = 2 * v + c, computed in float32), so each step depends on the previous ones. Writes:

  Tests/NeuralTests/Optimizers/Resources/keras_optimizer_reference.json   (the numbers, readable)
  Tests/NeuralTests/Optimizers/KerasOptimizerReference.swift              (the same, as Swift literals)

Run from anywhere (paths are relative to this file), with TensorFlow 2.21 / Keras 3:

  /work/main/.bench/venv/bin/python Scripts/keras_optimizer_reference.py

The Swift file is generated: edit this script and rerun it instead of editing that file.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import optimizers  # noqa: E402
from keras.optimizers import schedules  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON_PATH = os.path.join(ROOT, "Tests/NeuralTests/Optimizers/Resources/keras_optimizer_reference.json")
SWIFT_PATH = os.path.join(ROOT, "Tests/NeuralTests/Optimizers/KerasOptimizerReference.swift")

STEPS = 5
F32 = np.float32

INITIAL_MATRIX = np.array([[0.5, -1.2, 2.0], [-0.3, 0.8, -1.7]], dtype=F32)
INITIAL_VECTOR = np.array([0.1, -0.4, 1.3], dtype=F32)
OFFSET_MATRIX = np.array([[0.3, -0.5, 0.1], [0.9, -0.2, 0.4]], dtype=F32)
OFFSET_VECTOR = np.array([-0.6, 0.25, 0.05], dtype=F32)


def gradient(value, offset):
    """g = 2 * v + c in float32, the same two roundings the Swift test does."""
    return (F32(2) * value).astype(F32) + offset


def exponential(staircase):
    return schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=staircase)


def piecewise():
    return schedules.PiecewiseConstantDecay(boundaries=[1, 3], values=[0.1, 0.05, 0.01])


def cosine():
    return schedules.CosineDecay(0.1, decay_steps=4, alpha=0.1)


def cosine_warmup():
    return schedules.CosineDecay(0.0, decay_steps=3, alpha=0.0, warmup_target=0.1, warmup_steps=2)


# name -> (factory, options). Options: "none_vector_steps" gives the vector a None gradient at those
# steps; "set_learning_rate" = (step, value) assigns optimizer.learning_rate before that step.
CASES = [
    ("sgd", lambda: optimizers.SGD(learning_rate=0.1), {}),
    ("sgd_momentum", lambda: optimizers.SGD(learning_rate=0.1, momentum=0.9), {}),
    ("sgd_nesterov", lambda: optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), {}),
    ("sgd_weight_decay", lambda: optimizers.SGD(learning_rate=0.1, weight_decay=0.05), {}),
    ("sgd_learning_rate_change", lambda: optimizers.SGD(learning_rate=0.1), {"set_learning_rate": (2, 0.02)}),
    ("adam", lambda: optimizers.Adam(learning_rate=0.1), {}),
    ("adam_amsgrad", lambda: optimizers.Adam(learning_rate=0.1, amsgrad=True), {}),
    ("adam_custom", lambda: optimizers.Adam(learning_rate=0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-3), {}),
    ("adam_none_gradient", lambda: optimizers.Adam(learning_rate=0.1), {"none_vector_steps": [1, 3]}),
    ("adamw", lambda: optimizers.AdamW(learning_rate=0.1, weight_decay=0.05), {}),
    ("adamw_default_decay", lambda: optimizers.AdamW(learning_rate=0.1), {}),
    ("adamw_amsgrad", lambda: optimizers.AdamW(learning_rate=0.1, weight_decay=0.05, amsgrad=True), {}),
    ("nadam", lambda: optimizers.Nadam(learning_rate=0.1), {}),
    ("nadam_custom", lambda: optimizers.Nadam(learning_rate=0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-3), {}),
    ("nadam_weight_decay", lambda: optimizers.Nadam(learning_rate=0.1, weight_decay=0.05), {}),
    ("rmsprop", lambda: optimizers.RMSprop(learning_rate=0.05), {}),
    ("rmsprop_centered", lambda: optimizers.RMSprop(learning_rate=0.05, centered=True), {}),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(learning_rate=0.05, momentum=0.9), {}),
    ("rmsprop_epsilon", lambda: optimizers.RMSprop(learning_rate=0.05, epsilon=0.01), {}),
    ("rmsprop_weight_decay", lambda: optimizers.RMSprop(learning_rate=0.05, weight_decay=0.05), {}),
    ("rmsprop_centered_momentum",
     lambda: optimizers.RMSprop(learning_rate=0.05, rho=0.8, momentum=0.5, centered=True), {}),
    ("adagrad", lambda: optimizers.Adagrad(learning_rate=0.2), {}),
    ("adagrad_initial_accumulator",
     lambda: optimizers.Adagrad(learning_rate=0.2, initial_accumulator_value=0.5, epsilon=1e-3), {}),
    ("adagrad_weight_decay", lambda: optimizers.Adagrad(learning_rate=0.2, weight_decay=0.05), {}),
    ("clipnorm", lambda: optimizers.SGD(learning_rate=0.1, clipnorm=1.0), {}),
    ("clipvalue", lambda: optimizers.SGD(learning_rate=0.1, clipvalue=0.5), {}),
    ("global_clipnorm", lambda: optimizers.SGD(learning_rate=0.1, global_clipnorm=2.0), {}),
    ("adam_global_clipnorm_none_gradient", lambda: optimizers.Adam(learning_rate=0.1, global_clipnorm=1.0),
     {"none_vector_steps": [2]}),
    ("exponential_decay", lambda: optimizers.SGD(learning_rate=exponential(False)), {}),
    ("exponential_decay_staircase", lambda: optimizers.SGD(learning_rate=exponential(True)), {}),
    ("piecewise_constant_decay", lambda: optimizers.SGD(learning_rate=piecewise()), {}),
    ("cosine_decay", lambda: optimizers.SGD(learning_rate=cosine()), {}),
    ("cosine_decay_warmup", lambda: optimizers.SGD(learning_rate=cosine_warmup()), {}),
    ("adam_exponential_decay", lambda: optimizers.Adam(learning_rate=exponential(False)), {}),
]

SCHEDULES = [
    ("exponential_decay", lambda: exponential(False)),
    ("exponential_decay_staircase", lambda: exponential(True)),
    ("exponential_decay_slow", lambda: schedules.ExponentialDecay(0.01, decay_steps=1000, decay_rate=0.96)),
    ("piecewise_constant_decay", piecewise),
    ("cosine_decay", cosine),
    ("cosine_decay_warmup", cosine_warmup),
    ("cosine_decay_long", lambda: schedules.CosineDecay(0.001, decay_steps=10000)),
]
SCHEDULE_STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 100, 999, 1000, 1001, 2500, 5000, 9999, 10000, 20000]


def plain(value):
    """A JSON-ready copy of a Keras config (tuples to lists, numpy scalars to Python)."""
    return json.loads(json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


def run_case(factory, options):
    optimizer = factory()
    config = plain(optimizers.serialize(optimizer))
    matrix = keras.Variable(INITIAL_MATRIX.copy(), dtype="float32", name="matrix")
    vector = keras.Variable(INITIAL_VECTOR.copy(), dtype="float32", name="vector")
    trajectory = []
    learning_rates = []
    for step in range(STEPS):
        change = options.get("set_learning_rate")
        if change is not None and change[0] == step:
            optimizer.learning_rate = change[1]
        learning_rates.append(float(np.asarray(optimizer.learning_rate, dtype=F32)))
        g_matrix = gradient(np.asarray(matrix.numpy(), dtype=F32), OFFSET_MATRIX)
        g_vector = gradient(np.asarray(vector.numpy(), dtype=F32), OFFSET_VECTOR)
        if step in options.get("none_vector_steps", []):
            g_vector = None
        grads = [tf.constant(g_matrix), None if g_vector is None else tf.constant(g_vector)]
        optimizer.apply_gradients(zip(grads, [matrix, vector]))
        assert int(optimizer.iterations.numpy()) == step + 1
        trajectory.append({
            "matrix": [float(x) for x in np.asarray(matrix.numpy(), dtype=F32).ravel()],
            "vector": [float(x) for x in np.asarray(vector.numpy(), dtype=F32).ravel()],
        })
    return config, trajectory, learning_rates


def schedule_values(factory):
    schedule = factory()
    config = plain(schedules.serialize(schedule))
    values = [float(np.asarray(schedule(tf.constant(s, dtype=tf.int64)), dtype=F32)) for s in SCHEDULE_STEPS]
    return config, values


def swift_float(x):
    """The shortest decimal that reads back as the same Float32."""
    text = np.format_float_positional(F32(x), unique=True, trim="0")
    if "e" not in text and "." not in text:
        text += ".0"
    return text


def swift_floats(values):
    return "[" + ", ".join(swift_float(v) for v in values) + "]"


def swift_string(text):
    return '#"' + text + '"#'


def main():
    versions = {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
    cases = []
    for name, factory, options in CASES:
        config, trajectory, learning_rates = run_case(factory, options)
        case = {
            "name": name,
            "keras_config": config,
            "learning_rates": learning_rates,
            "trajectory": trajectory,
        }
        if "none_vector_steps" in options:
            case["none_vector_steps"] = options["none_vector_steps"]
        if "set_learning_rate" in options:
            case["set_learning_rate"] = {"step": options["set_learning_rate"][0],
                                         "value": options["set_learning_rate"][1]}
        cases.append(case)
    schedule_entries = []
    for name, factory in SCHEDULES:
        config, values = schedule_values(factory)
        schedule_entries.append({"name": name, "keras_config": config, "values": values})

    document = {
        "generator": "Scripts/keras_optimizer_reference.py",
        "versions": versions,
        "steps": STEPS,
        "gradient": "g = 2 * v + c (float32), computed from the variable's value before each step",
        "initial": {"matrix": [float(x) for x in INITIAL_MATRIX.ravel()], "matrix_shape": [2, 3],
                    "vector": [float(x) for x in INITIAL_VECTOR]},
        "offset": {"matrix": [float(x) for x in OFFSET_MATRIX.ravel()],
                   "vector": [float(x) for x in OFFSET_VECTOR]},
        "cases": cases,
        "schedule_steps": SCHEDULE_STEPS,
        "schedules": schedule_entries,
    }
    os.makedirs(os.path.dirname(JSON_PATH), exist_ok=True)
    with open(JSON_PATH, "w") as handle:
        json.dump(document, handle, indent=1, sort_keys=False)
        handle.write("\n")

    lines = [
        "// Generated by Scripts/keras_optimizer_reference.py; do not edit (rerun the script instead).",
        f"// TensorFlow {versions['tensorflow']}, Keras {versions['keras']}, NumPy {versions['numpy']}, "
        f"Python {versions['python']}. The same numbers, readable, are in",
        "// Resources/keras_optimizer_reference.json next to this file.",
        "",
        "/// Keras 3 optimizer trajectories and schedule values, as Swift literals.",
        "enum KerasOptimizerReference {",
        f"    static let tensorflowVersion = \"{versions['tensorflow']}\"",
        f"    static let kerasVersion = \"{versions['keras']}\"",
        f"    static let steps = {STEPS}",
        "    static let matrixShape = [2, 3]",
        f"    static let initialMatrix: [Float] = {swift_floats(INITIAL_MATRIX.ravel())}",
        f"    static let initialVector: [Float] = {swift_floats(INITIAL_VECTOR)}",
        f"    static let offsetMatrix: [Float] = {swift_floats(OFFSET_MATRIX.ravel())}",
        f"    static let offsetVector: [Float] = {swift_floats(OFFSET_VECTOR)}",
        "",
        "    /// One optimizer run: Keras's serialized optimizer, the learning rate used at each step and the",
        "    /// variables after each step.",
        "    struct Case: Sendable {",
        "        let name: String",
        "        let kerasConfigJSON: String",
        "        let noneVectorSteps: [Int]",
        "        let setLearningRate: (step: Int, value: Float)?",
        "        let learningRates: [Float]",
        "        let matrix: [[Float]]",
        "        let vector: [[Float]]",
        "    }",
        "",
        "    /// One schedule: Keras's serialized schedule and its values at ``scheduleSteps``.",
        "    struct Schedule: Sendable {",
        "        let name: String",
        "        let kerasConfigJSON: String",
        "        let values: [Float]",
        "    }",
        "",
        "    static let cases: [Case] = [",
    ]
    for case in cases:
        change = case.get("set_learning_rate")
        change_text = "nil" if change is None else f"(step: {change['step']}, value: {swift_float(change['value'])})"
        lines += [
            "        Case(",
            f"            name: \"{case['name']}\",",
            f"            kerasConfigJSON: {swift_string(json.dumps(case['keras_config'], sort_keys=True))},",
            f"            noneVectorSteps: {case.get('none_vector_steps', [])},",
            f"            setLearningRate: {change_text},",
            f"            learningRates: {swift_floats(case['learning_rates'])},",
            "            matrix: [",
        ]
        lines += [f"                {swift_floats(step['matrix'])}," for step in case["trajectory"]]
        lines += ["            ],", "            vector: ["]
        lines += [f"                {swift_floats(step['vector'])}," for step in case["trajectory"]]
        lines += ["            ]", "        ),"]
    lines += [
        "    ]",
        "",
        f"    static let scheduleSteps = {SCHEDULE_STEPS}",
        "",
        "    static let schedules: [Schedule] = [",
    ]
    for entry in schedule_entries:
        lines += [
            "        Schedule(",
            f"            name: \"{entry['name']}\",",
            f"            kerasConfigJSON: {swift_string(json.dumps(entry['keras_config'], sort_keys=True))},",
            f"            values: {swift_floats(entry['values'])}",
            "        ),",
        ]
    lines += ["    ]", "}", ""]
    with open(SWIFT_PATH, "w") as handle:
        handle.write("\n".join(lines))
    print(f"wrote {os.path.relpath(JSON_PATH, ROOT)} and {os.path.relpath(SWIFT_PATH, ROOT)} "
          f"({len(cases)} optimizer cases, {len(schedule_entries)} schedules) with TF {versions['tensorflow']}, "
          f"Keras {versions['keras']}")


if __name__ == "__main__":
    main()
