# Tuner: the two commands are `make demo` and `make test`; each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libdnnl-dev libsqlite3-dev zlib1g-dev dataset-fashion-mnist
# Only the tests need these: NumPy reads our safetensors files by the format's specification;
# headless Chromium renders a study report to PNG (Reports tests) and, driven by chromedriver through
# Selenium, watches a live dashboard page (Tests/DashboardTests/Browser/); the StudyStore and Dashboard
# tests run on a throwaway PostgreSQL server too (Tests/TestSupport/PostgresServer.swift); the cluster
# test (Scripts/cluster-test.sh) puts such a server and its workers in network namespaces (iproute2)
# and checks the run in Python. python3-venv: the TensorBoard tests read our event files with TensorBoard
# itself, from PyPI into a virtual environment (`make tensorboard-venv`). gdb: Scripts/run-tests.sh prints a
# stuck test run's backtraces with it.
CLUSTER_PACKAGES := postgresql iproute2 python3
TEST_PACKAGES := python3-numpy chromium chromium-driver python3-selenium python3-venv gdb $(CLUSTER_PACKAGES)
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: deps build demo test test-cluster tensorboard-venv bench bench-compare gan fuzz clean

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
	@Scripts/tensorboard-venv.sh
	@# Each phase prints its start time (UTC), so a slow CI run shows where its time went. The fuzz
	@# targets' seeds are replayed by the suite (FuzzReplayTests); `make fuzz` builds the instrumented targets.
	@echo "make test: $$(date -u +%T) release build of the tests"
	$(SWIFT) build -c release --build-tests
	@echo "make test: $$(date -u +%T) the tests"
	@# Under a watchdog: a stuck test fails the run within TEST_TIME_LIMIT seconds, naming itself and
	@# printing the test process's backtraces (Scripts/run-tests.sh).
	SWIFT=$(SWIFT) Scripts/run-tests.sh
	@# Then the cluster fault test (about 2 min; as root), whose last line says PASSED or what failed.
	@echo "make test: $$(date -u +%T) the cluster test"
	$(MAKE) --no-print-directory test-cluster
	@echo "make test: $$(date -u +%T) done"

## TensorBoard (pinned, from PyPI) in .build/tensorboard-venv for the TensorBoard tests, which read our event
## files with it (Scripts/tensorboard_read.py); `make test` runs this. Nothing to do when it is there.
tensorboard-venv:
	@Scripts/install-deps.sh python3 python3-venv
	@Scripts/tensorboard-venv.sh

## The cluster fault test: a PostgreSQL server and three `tuner worker`s in network namespaces share a
## 60-trial command study while a worker is SIGKILLed, the server restarts and a worker's link goes down
## (Scripts/cluster-test.sh; needs root). CLUSTER_FAULTS="kill,linkdown" picks faults; see the script.
test-cluster: deps
	@Scripts/install-deps.sh $(CLUSTER_PACKAGES)
	$(SWIFT) build -c release --product tuner
	Scripts/cluster-test.sh "$(RELEASE_BIN)/tuner"

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
