#!/usr/bin/env bash
# Runs the release test build (`swift test -c release --skip-build`) under a watchdog, so that a test that
# hangs fails `make test` within minutes and says where, instead of holding CI until its own timeout with
# no word of which test it was (a CI run on 2026-12-07 ended that way).
#
# When the run passes TEST_TIME_LIMIT seconds (default 1500; the whole suite takes about 2-4 min), the
# script prints the tests that started and never ended, every thread's backtrace of the test process
# (gdb), then ends the run and exits 1.
#
# Two passes. Swift's cooperative thread pool has one thread per core (two here), and a test that trains
# or runs a search blocks one of them for seconds; the tests whose in-process server must answer a client
# within HummingbirdTesting's fixed 20 s (`.test(.live)`: LiveStreamTests) then time out although nothing
# is wrong (a CI run on 2026-12-07 failed all four of them so). They run in a pass of their own, after
# the rest, where no other test holds the pool.
#
# Usage: Scripts/run-tests.sh   (SWIFT and TEST_TIME_LIMIT, per pass, from the environment)
set -uo pipefail
cd "$(dirname "$0")/.."
swift_command=${SWIFT:-swift}
limit=${TEST_TIME_LIMIT:-1500}
log=$(mktemp "${TMPDIR:-/tmp}/tuner-tests.XXXXXX")
trap 'rm -f "$log"' EXIT
# The suites that need the cooperative pool free (see above), as `swift test --filter/--skip` patterns.
pool_bound=LiveStreamTests

# Runs `swift test -c release --skip-build ARGUMENTS...` under the watchdog; returns its status.
run_pass() {
  : > "$log"
  # Its own process group, so that the watchdog can end `swift test` and the test binary it started.
  set -m
  $swift_command test -c release --skip-build "$@" > >(tee -a "$log") 2>&1 &
  local runner=$!
  set +m
  local started=$SECONDS
  while kill -0 "$runner" 2>/dev/null; do
    if (( SECONDS - started > limit )); then
      report_stuck
      kill -TERM -- "-$runner" 2>/dev/null
      sleep 5
      kill -KILL -- "-$runner" 2>/dev/null
      echo "run-tests: FAILED: stopped after ${limit} s (TEST_TIME_LIMIT)."
      return 1
    fi
    sleep 5
  done
  wait "$runner"
}

report_stuck() {
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
  # The test binary is the process `swift test` started from the .xctest bundle.
  # Found through /proc rather than pgrep, which a minimal Debian lacks (procps).
  local tests_pid="" cmdline
  for cmdline in /proc/[0-9]*/cmdline; do
    if grep -qa 'PackageTests.xctest' "$cmdline" 2>/dev/null; then
      tests_pid=${cmdline#/proc/}
      tests_pid=${tests_pid%/cmdline}
      break
    fi
  done
  if [ -n "$tests_pid" ]; then
    echo "run-tests: backtraces of the test process $tests_pid:"
    # gdb (Debian's, which `make test` installs; the toolchain's lldb needs a libpython Debian lacks),
    # its Swift symbols demangled by the toolchain's swift-demangle.
    local demangle=cat
    command -v swift-demangle >/dev/null && demangle="swift-demangle --simplified"
    # -readnever: function names from the symbol table, without reading the large debug info.
    timeout 120 gdb -readnever -p "$tests_pid" -batch -ex "thread apply all bt 25" 2>&1 |
      grep -E '^(Thread |#[0-9])' | $demangle | head -3000
  fi
}

status=0
echo "run-tests: every suite but $pool_bound"
run_pass --skip "$pool_bound" || status=1
echo "run-tests: $pool_bound, alone"
run_pass --filter "$pool_bound" || status=1
exit $status
