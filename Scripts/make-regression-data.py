#!/usr/bin/env python3
"""Writes Studies/data/housing.csv: a small synthetic regression data set shaped like California
housing (eight numeric features and a median house value), deterministically, with the Python
standard library only.

    python3 Scripts/make-regression-data.py [--rows 2000] [--seed 42] [--output Studies/data/housing.csv]

The target is a smooth non-linear function of the features plus noise, so deeper models and tuned
learning rates do measurably better than a linear fit.
"""
import argparse
import math
import os
import random

COLUMNS = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude",
           "MedHouseVal"]


def make_row(rng):
    med_inc = max(0.5, rng.lognormvariate(1.2, 0.45))
    house_age = float(rng.randint(1, 52))
    ave_rooms = max(1.5, rng.gauss(5.4, 1.2))
    ave_bedrms = max(0.6, rng.gauss(1.05, 0.12))
    population = float(int(max(10, rng.lognormvariate(7.0, 0.7))))
    ave_occup = max(1.0, rng.gauss(2.9, 0.6))
    latitude = rng.uniform(32.5, 42.0)
    longitude = rng.uniform(-124.3, -114.3)
    coast = math.exp(-abs(longitude + 122.0 - 0.3 * (latitude - 37.5)) / 1.5)
    value = (0.45 * med_inc + 0.9 * coast + 0.004 * house_age + 0.12 * math.sin(latitude)
             - 0.05 * (ave_occup - 3.0) ** 2 + 0.02 * (ave_rooms - ave_bedrms) + rng.gauss(0, 0.15))
    value = min(max(value, 0.15), 5.0)
    row = [med_inc, house_age, ave_rooms, ave_bedrms, population, ave_occup, latitude, longitude, value]
    return [round(x, 4) for x in row]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--output", default=os.path.join(here, "..", "Studies", "data", "housing.csv"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", newline="\n") as f:
        f.write(",".join(COLUMNS) + "\n")
        for _ in range(args.rows):
            f.write(",".join(repr(x) for x in make_row(rng)) + "\n")
    print(f"wrote {args.rows} rows to {os.path.normpath(args.output)}")


if __name__ == "__main__":
    main()
