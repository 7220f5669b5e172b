#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets in Fuzz/ and runs each for FUZZ_SECONDS (default 600).
#
#   study-file    a study file's text through parsing, the YAML limits and validation
#   study-import  a JSON export through `tuner import`'s decoding into an in-memory store, then every report
#   ask-tell      a `tuner ask` / `tuner tell` command line through argument parsing and the commands,
#                 against a fresh copy of a small store
#
# The package's modules are built once with coverage instrumentation and AddressSanitizer in their own
# scratch folder (.build-fuzz, ignored by git, never used by `make build` or `make test`); each target is
# then its folder's Swift files (its input function and its entry point) compiled against those modules and linked with libFuzzer's `main`. SwiftPM names
# an executable's entry point `<Module>_main` on Linux, so the `tuner` command's objects link into a
# fuzzer unchanged.
#
# Each run reads the committed seeds in Fuzz/Corpus/<target>/ and keeps what it discovers in
# .build-fuzz/corpus/<target>/. A crash, a trap, a leak-free out-of-memory or a timeout (10 s for one
# input) stops that target; the input is saved as .build-fuzz/artifacts/<target>/crash-* (or oom-*,
# timeout-*), and the script exits 1 after running the others. Reproduce one with
#   .build-fuzz/fuzz-<target> .build-fuzz/artifacts/<target>/crash-...
#
# Environment: FUZZ_SECONDS (per target; 0 replays the committed seeds once; `make test` replays them in its own build, FuzzReplayTests), FUZZ_TARGETS (a subset, space-separated),
# FUZZ_CONFIGURATION (debug, the default, builds faster; release fuzzes faster), SWIFT.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
SWIFTC="$(dirname "$(command -v "$SWIFT")")/swiftc"
SECONDS_PER_TARGET=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-study-file study-import ask-tell}
CONFIGURATION=${FUZZ_CONFIGURATION:-debug}
SCRATCH=.build-fuzz
SANITIZERS=fuzzer,address

# Every module the targets import, instrumented. `--target TunerCLI` compiles the `tuner` command and
# everything it depends on without linking an executable (its `main` would clash with libFuzzer's).
"$SWIFT" build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --target TunerCLI \
  -Xswiftc -sanitize=$SANITIZERS -Xswiftc -enable-testing
BIN=$("$SWIFT" build -c "$CONFIGURATION" --scratch-path "$SCRATCH" --show-bin-path)

objects=()
# Every module `--target TunerCLI` built: TunerCLI and its whole dependency closure (ours, GRDB,
# postgres-nio and SwiftNIO, swift-crypto, Yams, ArgumentParser, ...), so a new dependency needs no edit here.
# A Swift module's current objects are the ones its output-file-map.json names: an incremental build
# keeps the object of a file since deleted or renamed, which must not be linked.
for folder in "$BIN"/*.build; do
  if [ -f "$folder/output-file-map.json" ]; then
    while IFS= read -r object; do
      [ -f "$object" ] && objects+=("$object")
    done < <(grep -o '"object" *: *"[^"]*"' "$folder/output-file-map.json" | sed 's/.*: *"\(.*\)"/\1/')
  else
    while IFS= read -r -d '' object; do objects+=("$object"); done < <(find "$folder" -name '*.o' -print0)
  fi
done
# The C modules the Swift modules import, found by their module maps.
# Ours, and every C target of the dependencies (a module map SwiftPM generated in its build folder, or
# one the package ships in its include folder).
include_flags=(-I Sources/CLinearAlgebra -I Sources/CZlib -I Sources/CDNNL/include)
while IFS= read -r -d '' map; do
  # Skip a map SwiftPM generated for one of our C targets before it shipped its own (an older build
  # folder keeps it): both would define the module.
  module=$(basename "$(dirname "$map")" .build)
  [ -f "Sources/$module/include/module.modulemap" ] && continue
  include_flags+=(-I "$(dirname "$map")")
done < <(find "$BIN" -maxdepth 2 -name module.modulemap -print0; find "$SCRATCH/checkouts" -name module.modulemap -path '*/Sources/*' -print0)

target_folder() {
  case "$1" in
    study-file) echo StudyFile ;;
    study-import) echo StudyImport ;;
    ask-tell) echo AskTell ;;
    *) echo "unknown fuzz target $1 (known: study-file study-import ask-tell)" >&2; exit 64 ;;
  esac
}

for target in $TARGETS; do
  folder=$(target_folder "$target")
  echo "== building fuzz-$target"
  "$SWIFTC" -swift-version 6 -g -sanitize=$SANITIZERS -parse-as-library -module-name "Fuzz${folder}" \
    -I "$BIN/Modules" "${include_flags[@]}" Fuzz/"$folder"/*.swift "${objects[@]}" -o "$SCRATCH/fuzz-$target" 2>&1 |
    { grep -v "Cannot export local symbol '__asan" || true; }  # gold's harmless notes on ASan's own symbols
done

failed=()
for target in $TARGETS; do
  corpus="$SCRATCH/corpus/$target"
  artifacts="$SCRATCH/artifacts/$target/"
  log="$SCRATCH/logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  if [ "$SECONDS_PER_TARGET" = 0 ]; then
    echo "== replaying the seeds of $target (log: $log)"
  else
    echo "== fuzzing $target for ${SECONDS_PER_TARGET} s (log: $log)"
  fi
  # close_fd_mask: the commands print for every input (ask-tell: JSON on stdout, refusals on stderr);
  # libFuzzer keeps its own output, and a crash's input is saved to reproduce its message.
  close_fd_mask=1
  [ "$target" = ask-tell ] && close_fd_mask=3
  # detect_leaks=0: the Swift runtime's caches are reported as leaks; a leak does not crash a user.
  # FUZZ_SECONDS=0 replays the committed seeds once each and stops (-runs=0): the deterministic smoke
  # run; otherwise libFuzzer mutates for the time given, keeping what it finds.
  if [ "$SECONDS_PER_TARGET" = 0 ]; then
    run_arguments=("Fuzz/Corpus/$target" -runs=0)
  else
    run_arguments=("$corpus" "Fuzz/Corpus/$target" -max_total_time="$SECONDS_PER_TARGET")
  fi
  if "$SCRATCH/fuzz-$target" "${run_arguments[@]}" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 -close_fd_mask=$close_fd_mask \
      -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1; then
    echo "   clean: $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)"
  else
    echo "   FAILED: see $log and $artifacts"
    tail -40 "$log"
    failed+=("$target")
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | sed 's/^/   /' || true
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets that failed: ${failed[*]}" >&2
  exit 1
fi
