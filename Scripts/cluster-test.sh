#!/usr/bin/env bash
# The cluster fault test (`make test-cluster`): simulated machines sharing one study on PostgreSQL.
#
# Usage: Scripts/cluster-test.sh PATH/TO/tuner        (as root: it makes network namespaces)
#
# A throwaway PostgreSQL server runs in one network namespace ("the database machine") and three
# `tuner worker` processes in three others ("w1", "w2", "w3", each with its own host name through a UTS
# namespace, as on real machines: a worker cannot see another machine's processes, so a dead worker
# is only noticed by its heartbeat going stale). The namespaces are joined by veth pairs to a bridge in
# the server's namespace (10.231.0.0/24: the server is .1, worker i is .1i). They share the command
# study Tests/Cluster/cluster-study.yaml (60 trials of 1-3 s, no retries) while this script, in turn:
#
#   kill      SIGKILLs w1 in the middle of a trial;
#   restart   restarts the PostgreSQL server (pg_ctl restart -m fast: every connection is cut);
#   linkdown  takes w3's link down (its bridge port) for longer than the stale-heartbeat limit while
#             w3 runs a trial, then brings it back.
#
# Then it checks what must hold whatever happened: the study has exactly the budget's trials, each
# COMPLETE or FAILED with a reason, and only the trials of the killed and the cut-off worker FAILED
# ("worker died ..."); no trial ran twice (every trial's command appends a line to a log: one line per
# trial, with the values the study stored); no two trials share a configuration; every worker that was
# not killed ended with status 0. Any violation prints what is wrong and exits 1. The checks are
# Tests/Cluster/check-cluster-run.py, which first plants each kind of violation in a copy of the run's
# data and fails unless it reports every one.
#
# Environment:
#   CLUSTER_FAULTS   the faults to inject, comma-separated, in any order (they run in the order
#                    kill, restart, linkdown): default "kill,restart,linkdown"; "" or "none" for none.
#   CLUSTER_TIMEOUT  seconds the whole search may take once the workers start (default 150).
#   CLUSTER_STALL    seconds without a trial ending after which the search is taken to hang (default 30);
#                    then, if gdb is installed, the tuner's frames of each worker's threads are printed.
#   CLUSTER_KEEP=1   keep the temporary folder (logs, server data) instead of removing it.
#
# Everything it makes (namespaces, veths, the server, the workers and their trial commands, the
# temporary folder) is removed on exit, however the script ends. Names carry this shell's PID, so
# runs in parallel never collide.
set -euo pipefail

readonly HEARTBEAT_INTERVAL=1        # seconds between a worker's heartbeats (--heartbeat-interval)
readonly STALE_AFTER=5               # a heartbeat older than this marks a worker dead (--stale-after)
readonly LINK_DOWN_SECONDS=$((STALE_AFTER + 6))   # long enough for another worker to notice and settle
readonly STUDY=cluster
readonly SUBNET=10.231.0
readonly SERVER_IP=$SUBNET.1
readonly PORT=5432
readonly WORKERS=(1 2 3)
readonly KILLED_WORKER=1             # the kill fault's target
readonly CUT_WORKER=3                # the linkdown fault's target

started_at=$SECONDS
say() { printf 'cluster-test: %s\n' "$*"; }
fail() { printf 'cluster-test: FAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Arguments and prerequisites.

[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/tuner" >&2; exit 64; }
TUNER=$(realpath "$1")
[ -x "$TUNER" ] || fail "no tuner executable at $1 (make test-cluster builds it)"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STUDY_FILE=$ROOT/Tests/Cluster/cluster-study.yaml
[ -f "$STUDY_FILE" ] || fail "missing $STUDY_FILE"
BUDGET=$(sed -n 's/^oracle:.*max_trials: *\([0-9][0-9]*\).*/\1/p' "$STUDY_FILE")
[ -n "$BUDGET" ] || fail "could not read max_trials from $STUDY_FILE"
[ "$(id -u)" -eq 0 ] || fail "needs root: it creates network namespaces and veth pairs (run as root, e.g. in CI)"
for tool in ip unshare setpriv python3; do
    command -v "$tool" > /dev/null || fail "needs $tool (Debian: iproute2, util-linux, python3; make test-cluster installs them)"
done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1 || true)
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/postgres" ] || fail "no PostgreSQL server under /usr/lib/postgresql (Debian's postgresql package)"

FAULTS=${CLUSTER_FAULTS-kill,restart,linkdown}
[ "$FAULTS" = none ] && FAULTS=""
for fault in ${FAULTS//,/ }; do
    case $fault in kill | restart | linkdown) ;; *) fail "unknown fault \"$fault\" in CLUSTER_FAULTS (expected kill, restart, linkdown)" ;; esac
done
has_fault() { [[ ",$FAULTS," == *",$1,"* ]]; }
TIMEOUT=${CLUSTER_TIMEOUT:-150}

# ---------------------------------------------------------------------------------------------------
# Cleanup: registered before anything is made, so a failure at any point removes what exists.

ID=$$
NS_SERVER="tuner-cluster-$ID-db"
declare -A NS_WORKER WORKER_PID WORKER_STATUS BRIDGE_PORT
for i in "${WORKERS[@]}"; do
    NS_WORKER[$i]="tuner-cluster-$ID-w$i"
    BRIDGE_PORT[$i]="tc${ID}w${i}b"   # the veth end on the bridge (in the server's namespace)
done
NAMESPACES=()
TMP=""
PG_DATA=""

as_postgres() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }   # PostgreSQL refuses root: run as nobody

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    # The server first (a clean immediate stop), then every process left in a namespace: workers,
    # their trial commands (each in a process group of its own), a server that did not stop.
    if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
        ip netns exec "$NS_SERVER" setpriv --reuid=65534 --regid=65534 --clear-groups \
            "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop > /dev/null 2>&1
    fi
    for ns in "${NAMESPACES[@]}"; do
        local pids
        pids=$(ip netns pids "$ns" 2> /dev/null)
        [ -n "$pids" ] && kill -KILL $pids 2> /dev/null
    done
    for pid in "${WORKER_PID[@]}"; do wait "$pid" 2> /dev/null; done
    # Deleting a namespace deletes the veth ends in it (and so their peers); the host-side names are
    # removed too in case the script stopped between creating a pair and moving it.
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2> /dev/null; done
    for i in "${WORKERS[@]}"; do
        ip link del "tc${ID}w${i}a" 2> /dev/null
        ip link del "tc${ID}w${i}b" 2> /dev/null
    done
    if [ -n "$TMP" ]; then
        if [ "${CLUSTER_KEEP:-0}" = 1 ]; then
            say "kept $TMP (CLUSTER_KEEP=1)"
        else
            rm -rf "$TMP"
        fi
    fi
    say "took $((SECONDS - started_at)) s"
    exit "$status"
}
trap cleanup EXIT
trap 'say "interrupted (SIGINT)"; exit 130' INT
trap 'say "interrupted (SIGTERM)"; exit 143' TERM

TMP=$(mktemp -d "/tmp/tuner-cluster-$ID.XXXXXX")
chmod 711 "$TMP"   # the server's user (nobody) goes through it to its own folder
TRIAL_LOG=$TMP/trials.log
: > "$TRIAL_LOG"
chmod 666 "$TRIAL_LOG"

# ---------------------------------------------------------------------------------------------------
# The network: a bridge in the server's namespace, one veth pair per worker namespace.

say "faults: ${FAULTS:-none}; heartbeat every $HEARTBEAT_INTERVAL s, stale after $STALE_AFTER s; logs in $TMP"
ip netns add "$NS_SERVER"
NAMESPACES+=("$NS_SERVER")
ip -n "$NS_SERVER" link set lo up
ip -n "$NS_SERVER" link add br0 type bridge
ip -n "$NS_SERVER" addr add "$SERVER_IP/24" dev br0
ip -n "$NS_SERVER" link set br0 up
for i in "${WORKERS[@]}"; do
    ns=${NS_WORKER[$i]}
    ip netns add "$ns"
    NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
    ip link add "tc${ID}w${i}a" type veth peer name "tc${ID}w${i}b"
    ip link set "tc${ID}w${i}a" netns "$ns"
    ip link set "tc${ID}w${i}b" netns "$NS_SERVER"
    ip -n "$ns" addr add "$SUBNET.1$i/24" dev "tc${ID}w${i}a"
    ip -n "$ns" link set "tc${ID}w${i}a" up
    ip -n "$NS_SERVER" link set "${BRIDGE_PORT[$i]}" master br0
    ip -n "$NS_SERVER" link set "${BRIDGE_PORT[$i]}" up
done

# ---------------------------------------------------------------------------------------------------
# The database machine: initdb into the temporary folder, a server listening on the bridge's address,
# password (SCRAM) logins from the workers' subnet.

PASSWORD=$(od -An -N 12 -tx1 /dev/urandom | tr -d ' \n')
PG_DIR=$TMP/postgres
mkdir "$PG_DIR"
printf '%s\n' "$PASSWORD" > "$PG_DIR/password"
chown -R 65534:65534 "$PG_DIR"
chmod 700 "$PG_DIR"
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U tuner --pwfile="$PG_DIR/password" -A scram-sha-256 \
    -E UTF8 --locale=C --no-sync > "$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log" >&2; fail "initdb failed"; }
rm -f "$PG_DIR/password"
PG_DATA=$PG_DIR/data
echo "host all all $SUBNET.0/24 scram-sha-256" >> "$PG_DATA/pg_hba.conf"
pg_ctl() { ip netns exec "$NS_SERVER" setpriv --reuid=65534 --regid=65534 --clear-groups "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }
pg_ctl -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=$SERVER_IP -p $PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c log_connections=on -c log_disconnections=on" \
    start > "$TMP/pg_ctl.log" 2>&1 || { cat "$TMP/pg_ctl.log" "$PG_DIR/server.log" >&2; fail "the PostgreSQL server did not start"; }

# Every worker machine reaches the server through its link and the bridge.
for i in "${WORKERS[@]}"; do
    timeout 5 ip netns exec "${NS_WORKER[$i]}" bash -c "exec 3<> /dev/tcp/$SERVER_IP/$PORT" 2> /dev/null \
        || fail "worker namespace w$i does not reach the server at $SERVER_IP:$PORT"
done

# SQL on the server, as an administrator on the database machine would type it (unaligned, no headers).
sql_in() {
    local database=$1
    shift
    PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 ip netns exec "$NS_SERVER" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h "$SERVER_IP" -p "$PORT" -U tuner -d "$database" -c "$1"
}
sql() { sql_in "$STUDY" "$1"; }
sql_in postgres "CREATE DATABASE $STUDY" > /dev/null
STORAGE="postgresql://tuner:$PASSWORD@$SERVER_IP:$PORT/$STUDY"
HEARTBEAT_OPTIONS=(--heartbeat-interval "$HEARTBEAT_INTERVAL" --stale-after "$STALE_AFTER")

# ---------------------------------------------------------------------------------------------------
# The study: `tuner search` stores the study and its file (so workers need only the name) and runs
# trial 1 of the budget on the database machine; the workers then run the rest under the stored
# file's budget.

say "creating the study on the database machine"
(cd "$TMP" && CLUSTER_TRIAL_LOG=$TRIAL_LOG ip netns exec "$NS_SERVER" unshare --uts sh -c 'echo db > /proc/sys/kernel/hostname && exec "$@"' sh \
    "$TUNER" search "$STUDY_FILE" --storage "$STORAGE" --max-trials 1 --quiet "${HEARTBEAT_OPTIONS[@]}") \
    > "$TMP/create.log" 2>&1 || { cat "$TMP/create.log" >&2; fail "tuner search --max-trials 1 did not create the study"; }

# ---------------------------------------------------------------------------------------------------
# The workers, each in its namespace under its own host name, their progress lines written as they come
# (stdbuf: standard output to a file is otherwise kept in a buffer until the worker ends).

# One trial at a time per worker (`--parallel 1`; the default is one per core): the checks name the one
# trial each fault hits, and a killed or cut-off worker would take every trial it runs with it.
# WORKER_PID is a subshell whose one child is the worker (env, ip netns exec, unshare, sh and stdbuf each
# exec the next): the subshell passes on the worker's status, 137 when it was SIGKILLed, without bash
# announcing a killed job.
start_worker() {
    local i=$1
    (cd "$TMP" && env CLUSTER_TRIAL_LOG="$TRIAL_LOG" ip netns exec "${NS_WORKER[$i]}" unshare --uts \
        sh -c 'echo "$0" > /proc/sys/kernel/hostname && exec stdbuf -oL "$@"' "w$i" \
        "$TUNER" worker --study "$STUDY" --storage "$STORAGE" --parallel 1 "${HEARTBEAT_OPTIONS[@]}"
        exit $?) > "$TMP/w$i.out" 2> "$TMP/w$i.err" &
    WORKER_PID[$i]=$!
}
# The process ID of worker $1's `tuner worker` process (empty once it has exited).
tuner_process() { local p=${WORKER_PID[$1]}; cat "/proc/$p/task/$p/children" 2> /dev/null | tr -d ' ' || true; }
for i in "${WORKERS[@]}"; do start_worker "$i"; done
workers_started_at=$SECONDS
sleep 0.2
say "workers w1 w2 w3 started (pids $(tuner_process 1) $(tuner_process 2) $(tuner_process 3))"

# Collects the exit status of the workers that ended, and counts those still running in RUNNING_WORKERS.
# (Only in this shell, never in a $(...) subshell: `wait` works for this shell's own children only.)
RUNNING_WORKERS=${#WORKERS[@]}
reap() {
    RUNNING_WORKERS=0
    for i in "${WORKERS[@]}"; do
        [ -n "${WORKER_STATUS[$i]:-}" ] && continue
        if kill -0 "${WORKER_PID[$i]}" 2> /dev/null; then
            RUNNING_WORKERS=$((RUNNING_WORKERS + 1))
        else
            local status=0
            wait "${WORKER_PID[$i]}" || status=$?
            WORKER_STATUS[$i]=$status
        fi
    done
}
show_workers() {
    for i in "${WORKERS[@]}"; do
        local how="still running"
        [ -n "${WORKER_STATUS[$i]:-}" ] && how="exit status ${WORKER_STATUS[$i]}"
        echo "--- w$i ($how): its last progress lines, then the last lines of its standard error:" >&2
        tail -n 4 "$TMP/w$i.out" >&2
        tail -n 15 "$TMP/w$i.err" >&2
    done
    echo "--- trials by state:" >&2
    sql "SELECT state, count(*) FROM trials GROUP BY state ORDER BY state" >&2 || true
}
# Where each running worker's threads are, when gdb is there: the tuner's own frames (StudyStore,
# TunerKit), innermost first, demangled; the whole stacks go to $TMP/wN.stacks. For a search that hangs.
dump_stacks() {
    command -v gdb > /dev/null || { echo "--- (no gdb: install it to see where a hanging worker waits)" >&2; return 0; }
    local demangle=(cat)
    command -v swift-demangle > /dev/null && demangle=(swift-demangle --simplified)
    for i in "${WORKERS[@]}"; do
        [ -n "${WORKER_STATUS[$i]:-}" ] && continue
        local pid
        pid=$(tuner_process "$i")
        [ -n "$pid" ] || continue
        timeout 60 gdb -p "$pid" -batch -ex "thread apply all bt 60" > "$TMP/w$i.stacks" 2> /dev/null || true
        echo "--- w$i (pid $pid): the tuner's frames of each thread, innermost first (all in $TMP/w$i.stacks):" >&2
        # One line per thread: its name, a tab, then its first 8 frames in the tuner's modules (mangled).
        awk '/^Thread /{ if (frames) print thread "\t" frames; thread = $0; sub(/ \(Thread [^ ]* /, " ", thread); sub(/\)?:$/, "", thread); frames = ""; count = 0 }
             /^#/ && /StudyStore|TunerKit/ && count < 8 { n = split($0, w, " "); for (k = 1; k <= n; k++) if (w[k] ~ /^\$s/) { sub(/\(.*/, "", w[k]); frames = frames " " w[k]; count++; break } }
             END { if (frames) print thread "\t" frames }' "$TMP/w$i.stacks" \
            | while IFS=$'\t' read -r thread frames; do
                printf '    %s\n' "$thread" >&2
                for symbol in $frames; do printf '        %s\n' "$(printf '%s\n' "$symbol" | "${demangle[@]}")" >&2; done
            done
    done
}
# Fails unless some worker is still running, a trial finished in the last $STALL_SECONDS s, and
# there is time left; $1 says what the script waits for.
STALL_SECONDS=${CLUSTER_STALL:-30}
last_finished=-1
last_progress_at=$SECONDS
last_look_at=-1
check_progress() {
    reap
    if [ "$RUNNING_WORKERS" -eq 0 ]; then
        show_workers
        fail "every worker exited while $1"
    fi
    if [ "$SECONDS" -ne "$last_look_at" ]; then   # the database once a second at most
        last_look_at=$SECONDS
        local finished
        finished=$(finished_trials)
        if [ "$finished" -ne "$last_finished" ] || [ "$finished" -ge "$BUDGET" ]; then
            last_finished=$finished
            last_progress_at=$SECONDS
        elif [ $((SECONDS - last_progress_at)) -gt "$STALL_SECONDS" ]; then
            show_workers
            dump_stacks
            fail "no trial ended for $STALL_SECONDS s (CLUSTER_STALL; $finished of $BUDGET ended) while $1"
        fi
    fi
    if [ $((SECONDS - workers_started_at)) -gt "$TIMEOUT" ]; then
        show_workers
        dump_stacks
        fail "the search did not end within $TIMEOUT s (CLUSTER_TIMEOUT) while $1"
    fi
}
finished_trials() { sql "SELECT count(*) FROM trials WHERE state IN ('COMPLETE', 'FAILED', 'PRUNED')" 2> /dev/null || echo 0; }
wait_for_finished() {
    while [ "$(finished_trials)" -lt "$1" ]; do
        check_progress "waiting for $1 finished trials before the $2 fault"
        sleep 0.2
    done
}
# The number of a trial worker $1 has been running for at least 0.3 s (so it is inside its 1-3 s
# command), and — when $2 is "idle" — only while no connection from its address is inside a statement
# or a transaction; empty if none.
trial_in_progress() {
    local condition=""
    [ "${2:-}" = idle ] && condition="AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.client_addr = '$SUBNET.1$1'
        AND a.state IS DISTINCT FROM 'idle' AND a.pid <> pg_backend_pid())"
    sql "SELECT number FROM trials WHERE state = 'RUNNING' AND worker LIKE 'w$1:%'
         AND extract(epoch FROM clock_timestamp()) - started_at > 0.3 $condition ORDER BY number LIMIT 1" 2> /dev/null || true
}
# Waits until worker $1 is in the middle of a trial (see trial_in_progress, $2 as there) and sets
# FOUND_TRIAL to its number.
wait_for_trial_of() {
    FOUND_TRIAL=""
    while [ -z "$FOUND_TRIAL" ]; do
        check_progress "waiting for w$1 to be in the middle of a trial"
        FOUND_TRIAL=$(trial_in_progress "$1" "${2:-}")
        [ -n "$FOUND_TRIAL" ] || sleep 0.05
    done
}

# ---------------------------------------------------------------------------------------------------
# The faults, one after the other while the trials run.

KILLED_TRIAL=""
CUT_TRIAL=""
if has_fault kill; then
    wait_for_finished 4 kill
    wait_for_trial_of "$KILLED_WORKER"
    KILLED_TRIAL=$FOUND_TRIAL
    victim=$(tuner_process "$KILLED_WORKER")
    [ -n "$victim" ] || fail "w$KILLED_WORKER's tuner process is gone before the kill fault"
    kill -KILL "$victim"
    say "kill: SIGKILLed w$KILLED_WORKER (pid $victim) while it ran trial $KILLED_TRIAL ($((SECONDS - workers_started_at)) s in)"
fi
if has_fault restart; then
    wait_for_finished 15 restart
    while [ -z "$(sql "SELECT 1 FROM trials WHERE state = 'RUNNING' LIMIT 1" 2> /dev/null || true)" ]; do
        check_progress "waiting for a running trial before the restart fault"
        sleep 0.05
    done
    running=$(sql "SELECT string_agg(number || ' (' || split_part(worker, ':', 1) || ')', ', ') FROM trials WHERE state = 'RUNNING'")
    pg_ctl -l "$PG_DIR/server.log" -m fast -w -t 60 restart > "$TMP/pg_restart.log" 2>&1 || { cat "$TMP/pg_restart.log" >&2; fail "pg_ctl restart failed"; }
    say "restart: restarted the PostgreSQL server while trials $running ran ($((SECONDS - workers_started_at)) s in)"
fi
if has_fault linkdown; then
    wait_for_finished 25 linkdown
    wait_for_trial_of "$CUT_WORKER" idle
    CUT_TRIAL=$FOUND_TRIAL
    ip -n "$NS_SERVER" link set "${BRIDGE_PORT[$CUT_WORKER]}" down
    say "linkdown: took w$CUT_WORKER's link down while it ran trial $CUT_TRIAL ($((SECONDS - workers_started_at)) s in); up again in $LINK_DOWN_SECONDS s"
    sleep "$LINK_DOWN_SECONDS"
    cut_state=$(sql "SELECT state || ': ' || coalesce(error, '') FROM trials WHERE number = $CUT_TRIAL" 2> /dev/null || echo "unknown (the server did not answer)")
    ip -n "$NS_SERVER" link set "${BRIDGE_PORT[$CUT_WORKER]}" up
    say "linkdown: w$CUT_WORKER's link is up again; its trial $CUT_TRIAL was then $cut_state"
fi

# ---------------------------------------------------------------------------------------------------
# The end of the search: every worker that was not killed exits by itself when the budget is spent.

while reap && [ "$RUNNING_WORKERS" -gt 0 ]; do
    check_progress "waiting for the workers to end"
    sleep 0.5
done
search_seconds=$((SECONDS - workers_started_at))
say "every worker ended, $search_seconds s after they started"
# Every worker but the killed one must have ended by itself with status 0 (a worker whose link came
# back, or whose server restarted, goes on working). A wrong status is reported with the study's checks.
worker_problems=""
for i in "${WORKERS[@]}"; do
    if [ "$i" = "$KILLED_WORKER" ] && has_fault kill; then
        [ "${WORKER_STATUS[$i]}" -eq $((128 + 9)) ] || worker_problems+="w$i was SIGKILLed but ended with status ${WORKER_STATUS[$i]}"$'\n'
    elif [ "${WORKER_STATUS[$i]}" -ne 0 ]; then
        worker_problems+="worker w$i ended with status ${WORKER_STATUS[$i]} (expected 0); its last line: $(tail -n 1 "$TMP/w$i.err")"$'\n'
    fi
done

# ---------------------------------------------------------------------------------------------------
# The checks, on the stored study as `tuner export` gives it and on the trials' own log.

(cd "$TMP" && ip netns exec "$NS_SERVER" "$TUNER" export "$STUDY" --storage "$STORAGE" --format json --output "$TMP/export.json") \
    > "$TMP/export.log" 2>&1 || { cat "$TMP/export.log" >&2; fail "tuner export failed"; }
if ! python3 "$ROOT/Tests/Cluster/check-cluster-run.py" "$TMP/export.json" "$TRIAL_LOG" "$BUDGET" "$KILLED_TRIAL" "$CUT_TRIAL" "$worker_problems"
then
    show_workers
    fail "the study or the workers broke a guarantee (VIOLATION lines above; logs in $TMP, removed unless CLUSTER_KEEP=1)"
fi
say "PASSED (faults: ${FAULTS:-none}; the search took $search_seconds s)"
