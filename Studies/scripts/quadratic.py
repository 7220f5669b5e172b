#!/usr/bin/env python3
"""A tiny program for the command study: "trains" for a few steps by gradient descent on a
quadratic bowl whose minimum is at x = 3, y = -1, printing one JSON line per step and the final
metrics as the last JSON line.

    python3 quadratic.py --x 0.5 --y 2 --lr 0.1 --steps 20 [--optimizer sgd|momentum]

The hyperparameters also arrive as TUNER_HP_* environment variables; this script reads its
arguments, and prints the trial number from TUNER_TRIAL when set.
"""
import argparse
import json
import os
import sys


def loss(x, y):
    return (x - 3.0) ** 2 + 2.0 * (y + 1.0) ** 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--x", type=float, required=True)
    parser.add_argument("--y", type=float, required=True)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--optimizer", default="sgd", choices=["sgd", "momentum"])
    args = parser.parse_args()
    print(f"trial {os.environ.get('TUNER_TRIAL', '?')}: x={args.x} y={args.y} lr={args.lr}", file=sys.stderr)
    x, y = args.x, args.y
    vx = vy = 0.0
    momentum = 0.9 if args.optimizer == "momentum" else 0.0
    for step in range(args.steps):
        gx, gy = 2.0 * (x - 3.0), 4.0 * (y + 1.0)
        vx = momentum * vx - args.lr * gx
        vy = momentum * vy - args.lr * gy
        x, y = x + vx, y + vy
        current = loss(x, y)
        if current != current or current > 1e12:
            print(f"diverged at step {step}", file=sys.stderr)
            sys.exit(2)
        print(json.dumps({"step": step, "loss": current}), flush=True)
    print(json.dumps({"loss": loss(x, y), "x": x, "y": y}))


if __name__ == "__main__":
    main()
