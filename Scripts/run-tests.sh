#!/usr/bin/env bash
# Runs the release test build (`swift test -c release --skip-build`) under a watchdog, so that a test that
# hangs fails `make test` within minutes and says where, instead of holding CI until its own timeout with
# no word of which test it was (a CI run on 2026-12-07 ended that way).
#
# When the run passes TEST_TIME_LIMIT seconds (default 1500; the whole suite takes about 2-4 min), the
# script prints the tests that started and never ended, every thread's backtrace of the test process
# (lldb from the Swift toolchain, else gdb), then ends the run and exits 1.
#
# Usage: Scripts/run-tests.sh [extra `swift test` arguments]   (SWIFT and TEST_TIME_LIMIT from the environment)
set -uo pipefail
cd "$(dirname "$0")/.."
swift_command=${SWIFT:-swift}
limit=${TEST_TIME_LIMIT:-1500}
log=$(mktemp "${TMPDIR:-/tmp}/tuner-tests.XXXXXX")
trap 'rm -f "$log"' EXIT

# Its own process group, so that the watchdog can end `swift test` and the test binary it started.
set -m
$swift_command test -c release --skip-build "$@" > >(tee "$log") 2>&1 &
runner=$!
set +m

started=$SECONDS
while kill -0 "$runner" 2>/dev/null; do
  if (( SECONDS - started > limit )); then
    echo
    echo "run-tests: the tests ran longer than ${limit} s; a test is stuck. Tests that started and never ended:"
    # Swift Testing prints "◇ Test NAME started." and later "✔ Test NAME passed ..." or "✘ Test NAME ...".
    python3 - "$log" <<'PY'
import re, sys
started, ended = [], set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if m := re.match(r"◇ Test (.+?) started\.", line):
        if not m.group(1).startswith("case passing"):
            started.append(m.group(1))
    elif m := re.match(r"[✔✘↪] Test (.+?)(?: with \d+ test cases?)? (passed|failed|skipped)", line):
        ended.add(m.group(1))
for name in dict.fromkeys(started):
    if name not in ended:
        print("  stuck:", name)
PY
    # The test binary is the deepest descendant of `swift test` (swift-test, then the .xctest bundle).
    tests_pid=$(pgrep -f 'PackageTests.xctest' | head -1)
    if [ -n "$tests_pid" ]; then
      echo "run-tests: backtraces of the test process $tests_pid:"
      if command -v lldb >/dev/null; then
        timeout 120 lldb --batch -p "$tests_pid" -o "thread backtrace all -c 25" 2>&1 | grep -v '^(lldb)' | head -3000
      elif command -v gdb >/dev/null; then
        timeout 120 gdb -p "$tests_pid" -batch -ex "thread apply all bt 25" 2>&1 | head -3000
      fi
    fi
    kill -TERM -- "-$runner" 2>/dev/null
    sleep 5
    kill -KILL -- "-$runner" 2>/dev/null
    echo "run-tests: FAILED: stopped after ${limit} s (TEST_TIME_LIMIT)."
    exit 1
  fi
  sleep 5
done
wait "$runner"
