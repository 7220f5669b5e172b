# Tuner: the two commands are `make demo` and `make test`; each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev dataset-fashion-mnist
# Only the tests need these: NumPy reads our safetensors files by the format's specification;
# headless Chromium renders a study report to PNG (Reports tests) and, driven by chromedriver through
# Selenium, watches a live dashboard page (Tests/DashboardTests/Browser/); the StudyStore and Dashboard
# tests run on a throwaway PostgreSQL server too (Tests/TestSupport/PostgresServer.swift).
TEST_PACKAGES := python3-numpy chromium chromium-driver python3-selenium postgresql
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: deps build demo test bench bench-compare gan fuzz clean

deps:
	@Scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build -c release

## The main job: the book's random search (Studies/fashion-mnist-random.yaml) with the `tuner`
## command, then its HTML report. Results go to demo-output/ (ignored by git).
DEMO_DIR := demo-output
demo: deps
	$(SWIFT) build -c release --product tuner
	mkdir -p $(DEMO_DIR)
	"$(RELEASE_BIN)/tuner" search Studies/fashion-mnist-random.yaml --storage $(DEMO_DIR)/tuner.sqlite --overwrite
	"$(RELEASE_BIN)/tuner" summary fashion-mnist-random --storage $(DEMO_DIR)/tuner.sqlite --count 3
	"$(RELEASE_BIN)/tuner" export fashion-mnist-random --storage $(DEMO_DIR)/tuner.sqlite --format html --output $(DEMO_DIR)/fashion-mnist-random.html

## The convolutional GAN of seed 001 on Fashion-MNIST (100 batches), writing gan-samples.png.
gan: deps
	$(SWIFT) build -c release --product gan-example
	"$(RELEASE_BIN)/gan-example" gan-samples.png

## The whole test suite, in a release build (tests that train on real data need the speed).
test: deps
	@Scripts/install-deps.sh $(TEST_PACKAGES)
	@# The fuzz targets' smoke run first (every committed seed once, in the instrumented build; about
	@# 1-3 min), so the test runner's summary stays the last line.
	FUZZ_SECONDS=0 SWIFT=$(SWIFT) Scripts/fuzz.sh
	$(SWIFT) build -c release --build-tests
	$(SWIFT) test -c release --skip-build

## One `BENCH <name> <value> <unit>` line per figure.
bench: deps
	$(SWIFT) build -c release --product tuner-bench
	$(SWIFT) build -c release --product tuner
	"$(RELEASE_BIN)/tuner-bench"

## The same reference workloads in Keras, from a virtual environment in .bench/ (needs PyPI; not in CI).
bench-compare: deps
	$(SWIFT) build -c release --product tuner-bench
	Scripts/bench-compare.sh "$(RELEASE_BIN)/tuner-bench"

## libFuzzer targets (Fuzz/, Scripts/fuzz.sh), each run for FUZZ_SECONDS; builds in .build-fuzz/.
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz
