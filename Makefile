# Tuner: the two commands are `make demo` and `make test`; each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev dataset-fashion-mnist
# Only the tests need these: NumPy reads our safetensors files by the format's specification.
TEST_PACKAGES := python3-numpy
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: deps build demo test bench bench-compare gan clean

deps:
	@Scripts/install-deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build -c release

## The main job: until the tuner lands, the reference MLP on Fashion-MNIST with a custom training loop.
demo: deps
	$(SWIFT) build -c release --product mlp-demo
	"$(RELEASE_BIN)/mlp-demo"

## The convolutional GAN of seed 001 on Fashion-MNIST (100 batches), writing gan-samples.png.
gan: deps
	$(SWIFT) build -c release --product gan-example
	"$(RELEASE_BIN)/gan-example" gan-samples.png

## The whole test suite, in a release build (tests that train on real data need the speed).
test: deps
	@Scripts/install-deps.sh $(TEST_PACKAGES)
	$(SWIFT) build -c release --build-tests
	$(SWIFT) test -c release --skip-build

## One `BENCH <name> <value> <unit>` line per figure.
bench: deps
	$(SWIFT) build -c release --product tuner-bench
	"$(RELEASE_BIN)/tuner-bench"

## The same reference workloads in Keras, from a virtual environment in .bench/ (needs PyPI; not in CI).
bench-compare: deps
	$(SWIFT) build -c release --product tuner-bench
	Scripts/bench-compare.sh "$(RELEASE_BIN)/tuner-bench"

clean:
	rm -rf .build
