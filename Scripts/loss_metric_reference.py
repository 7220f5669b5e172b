"""Reference numbers for Tests/NeuralTests/Losses and Tests/NeuralTests/Metrics.

A NumPy transcription of Keras 3's formulas (keras/src/losses/losses.py, losses/loss.py, the NumPy
backend's nn.py, metrics/metrics_utils.py and metrics/confusion_metrics.py), in float32 like Keras.
Keras itself is not installed here; the tests also check Keras's documented examples, which these
transcriptions reproduce. Run: python3 Scripts/loss_metric_reference.py
"""
import numpy as np

f32 = np.float32
EPS = f32(1e-7)


def squeeze_or_expand(x1, x2, expand_rank_1=True):
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def reduce_weighted(values, w=None, reduction="sum_over_batch_size"):
    if w is not None:
        values, w = squeeze_or_expand(values, f32(w) * np.ones((), f32))
        values = values * w
    if reduction == "none" or values.shape == () or values.shape == (0,):
        return values
    loss = values.sum(dtype=f32)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and w is not None:
        return loss / w.sum()
    return loss / f32(values.size)


def mse(t, p):
    t, p = squeeze_or_expand(t, p)
    return np.mean(np.square(t - p), axis=-1)


def mae(t, p):
    t, p = squeeze_or_expand(t, p)
    return np.mean(np.abs(t - p), axis=-1)


def huber(t, p, delta=1.0):
    t, p = squeeze_or_expand(t, p)
    e = p - t
    a = np.abs(e)
    d = f32(delta)
    return np.mean(np.where(a <= d, f32(0.5) * e * e, d * a - f32(0.5) * d * d), axis=-1)


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def categorical_ce(t, p, from_logits=False, label_smoothing=0.0):
    if label_smoothing:
        t = t * f32(1 - label_smoothing) + f32(label_smoothing) / f32(p.shape[-1])
    if from_logits:
        logp = log_softmax(p)
    else:
        q = p / p.sum(axis=-1, keepdims=True)
        logp = np.log(np.clip(q, EPS, f32(1) - EPS))
    return -np.sum(t * logp, axis=-1)


def sparse_ce(labels, p, from_logits=False):
    onehot = np.eye(p.shape[-1], dtype=f32)[np.asarray(labels, dtype=int)]
    return categorical_ce(onehot, p, from_logits)


def binary_ce(t, p, from_logits=False, label_smoothing=0.0):
    t, p = squeeze_or_expand(t, p)
    if label_smoothing:
        t = t * f32(1 - label_smoothing) + f32(0.5 * label_smoothing)
    if from_logits:
        bce = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        c = np.clip(p, EPS, f32(1) - EPS)
        bce = -(t * np.log(c) + (1 - t) * np.log(1 - c))
    return np.mean(bce, axis=-1)


def auc_counts(t, p, w=None, num_thresholds=200):
    """The optimized (bucketed) path Keras's AUC takes, with the epsilon endpoints."""
    t = (np.asarray(t, f32) != 0).astype(f32).ravel()
    p = np.clip(np.asarray(p, f32).ravel(), 0, 1)
    w = np.ones_like(p) if w is None else np.asarray(w, f32).ravel()
    buckets = np.maximum(np.ceil(p * f32(num_thresholds - 1)) - 1, 0).astype(int)
    tp_b = np.zeros(num_thresholds, f32)
    fp_b = np.zeros(num_thresholds, f32)
    np.add.at(tp_b, buckets, t * w)
    np.add.at(fp_b, buckets, (1 - t) * w)
    tp = np.cumsum(tp_b[::-1])[::-1]
    fp = np.cumsum(fp_b[::-1])[::-1]
    return tp, fp, ((1 - t) * w).sum() - fp, (t * w).sum() - tp


def divide_no_nan(a, b):
    return np.where(b == 0, 0, a / np.where(b == 0, 1, b))


def auc(t, p, w=None, num_thresholds=200, curve="ROC", method="interpolation"):
    tp, fp, tn, fn = auc_counts(t, p, w, num_thresholds)
    if curve == "PR" and method == "interpolation":
        dtp = tp[:-1] - tp[1:]
        pp = tp + fp
        dp = pp[:-1] - pp[1:]
        slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * pp[1:]
        ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), divide_no_nan(pp[:-1], np.maximum(pp[1:], 0)), 1)
        return divide_no_nan(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)).sum()
    recall = divide_no_nan(tp, tp + fn)
    if curve == "ROC":
        x, y = divide_no_nan(fp, fp + tn), recall
    else:
        x, y = recall, divide_no_nan(tp, tp + fp)
    if method == "interpolation":
        h = (y[:-1] + y[1:]) / 2
    elif method == "minoring":
        h = np.minimum(y[:-1], y[1:])
    else:
        h = np.maximum(y[:-1], y[1:])
    return ((x[:-1] - x[1:]) * h).sum()


def show(label, value):
    print(f"{label}: {np.round(np.asarray(value, dtype=np.float64), 7).tolist()}")


if __name__ == "__main__":
    yt = np.array([[0.5, 1.0, -0.3], [2.0, -1.0, 0.7]], f32)
    yp = np.array([[0.4, 1.8, 0.2], [-0.5, -1.2, 0.9]], f32)
    w = np.array([0.3, 1.2], f32)
    for name, fn in [("mse", mse), ("mae", mae), ("huber", huber)]:
        show(f"{name} none", fn(yt, yp))
        for reduction in ["sum_over_batch_size", "sum", "mean_with_sample_weight"]:
            show(f"{name} {reduction}", reduce_weighted(fn(yt, yp), None, reduction))
            show(f"{name} {reduction} weighted", reduce_weighted(fn(yt, yp), w, reduction))
    show("huber delta 0.5", huber(yt, yp, 0.5))
    # Regression targets [batch] against predictions [batch, 1].
    show("mse column", mse(np.array([1.0, 2.0, 3.0], f32), np.array([[1.5], [1.0], [3.25]], f32)))

    labels = [1, 2, 0]
    probs = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1], [0.6, 0.3, 0.3]], f32)
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-0.3, 0.2, 0.4]], f32)
    show("sparse probs", sparse_ce(labels, probs))
    show("sparse logits", sparse_ce(labels, logits, True))
    onehot = np.eye(3, dtype=f32)[labels]
    show("categorical probs", categorical_ce(onehot, probs))
    show("categorical probs smoothing 0.1", categorical_ce(onehot, probs, label_smoothing=0.1))
    show("categorical logits smoothing 0.2", categorical_ce(onehot, logits, True, 0.2))
    soft = np.array([[0.2, 0.7, 0.1], [0.0, 0.5, 0.5], [1.0, 0.0, 0.0]], f32)
    show("categorical soft targets logits", categorical_ce(soft, logits, True))

    bt = np.array([[0, 1], [0, 0]], f32)
    bp = np.array([[0.6, 0.4], [0.4, 0.6]], f32)
    show("binary probs", binary_ce(bt, bp))
    show("binary probs smoothing 0.2", binary_ce(bt, bp, label_smoothing=0.2))
    bl = np.array([[-18.6, 0.51], [2.94, -12.8]], f32)
    show("binary logits", binary_ce(bt, bl, True))
    show("binary logits weighted", reduce_weighted(binary_ce(bt, bl, True), np.array([0.8, 0.2], f32)))
    show("binary clipped", binary_ce(np.array([[1.0, 0.0]], f32), np.array([[0.0, 1.0]], f32)))

    at = [0, 0, 1, 1, 1, 0, 1, 0]
    ap = [0.1, 0.4, 0.35, 0.8, 0.65, 0.7, 0.2, 0.05]
    aw = [1.0, 0.5, 2.0, 1.0, 1.0, 1.5, 0.25, 1.0]
    show("auc roc", auc(at, ap))
    show("auc roc weighted", auc(at, ap, aw))
    show("auc roc minoring", auc(at, ap, method="minoring"))
    show("auc roc majoring", auc(at, ap, method="majoring"))
    show("auc pr", auc(at, ap, curve="PR"))
    show("auc pr majoring", auc(at, ap, curve="PR", method="majoring"))
    show("auc 3 thresholds (Keras doc: 0.75)", auc([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], num_thresholds=3))
