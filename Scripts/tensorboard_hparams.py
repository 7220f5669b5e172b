#!/usr/bin/env python3
"""Reads a TensorBoard log folder of HParams runs with TensorBoard's own code and prints what it found as JSON.

Every run folder under LOG_FOLDER (the root "." and each trial_<n>, with their train/ and validation/) is
loaded by TensorBoard's EventMultiplexer; each `_hparams_/...` tag's plugin content is parsed by the HParams
plugin's own parsers (tensorboard.plugins.hparams.metadata.parse_experiment_plugin_data,
parse_session_start_info_plugin_data, parse_session_end_info_plugin_data) and printed as protobuf's JSON
mapping; each run's scalars are printed as [step, value] pairs (values as repr strings: JSON has no NaN).

With --serve, it also starts `tensorboard --logdir LOG_FOLDER` on a free loopback port (port 0: TensorBoard
picks one and prints it), asks its HTTP data API for the runs (GET /data/runs), the HParams experiment
(POST /data/plugin/hparams/experiment) and the session groups (POST /data/plugin/hparams/session_groups),
adds the answers under "http", and stops the server (terminate, then kill) before printing, whatever happens.

Usage: .build/tensorboard-venv/bin/python Scripts/tensorboard_hparams.py LOG_FOLDER [--serve]
(the venv of `make tensorboard-venv`).
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from google.protobuf import json_format
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.plugins.hparams import metadata
from tensorboard.util import tensor_util

PARSERS = {
    metadata.EXPERIMENT_TAG: ("experiment", metadata.parse_experiment_plugin_data),
    metadata.SESSION_START_INFO_TAG: ("session_start_info", metadata.parse_session_start_info_plugin_data),
    metadata.SESSION_END_INFO_TAG: ("session_end_info", metadata.parse_session_end_info_plugin_data),
}


def read(folder):
    multiplexer = plugin_event_multiplexer.EventMultiplexer(tensor_size_guidance={"scalars": 0, "hparams": 0})
    multiplexer.AddRunsFromDirectory(folder)
    multiplexer.Reload()
    result = {"runs": sorted(multiplexer.Runs().keys()), "hparams": {}, "scalars": {}}
    for run, by_tag in multiplexer.PluginRunToTagToContent(metadata.PLUGIN_NAME).items():
        for tag, content in by_tag.items():
            key, parse = PARSERS[tag]
            message = parse(content)
            result["hparams"].setdefault(run, {})[key] = json_format.MessageToDict(message)
    for run in multiplexer.Runs():
        for tag, content in multiplexer.PluginRunToTagToContent("scalars").get(run, {}).items():
            events = multiplexer.Tensors(run, tag)
            result["scalars"].setdefault(run, {})[tag] = [
                [e.step, repr(float(tensor_util.make_ndarray(e.tensor_proto).item()))] for e in events]
    return result


def request(url, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json", "X-TensorBoard-Feature-Flags": "{}"}
    req = urllib.request.Request(url, data=data, headers=headers, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def serve(folder, expected_runs):
    """Starts TensorBoard on 127.0.0.1, port 0; returns what its data API answered; always stops it."""
    tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    process = subprocess.Popen(
        [tensorboard, "--logdir", folder, "--host", "127.0.0.1", "--port", "0", "--load_fast", "false",
         "--reload_interval", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = None
        lines = []
        for line in process.stdout:
            lines.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if found:
                base = found.group(1)
                break
        if base is None:
            raise RuntimeError("TensorBoard printed no address:\n" + "".join(lines))
        # The server answers before it has loaded every run: ask until the runs are there (the Swift test's
        # time limit bounds the wait; the check is on what TensorBoard lists, not on how fast).
        while True:
            runs = request(base + "/data/runs")
            if set(expected_runs) <= set(runs):
                break
            if process.poll() is not None:
                raise RuntimeError("TensorBoard stopped")
            time.sleep(0.5)
        experiment = request(base + "/data/plugin/hparams/experiment", {"experimentName": ""})
        groups = request(base + "/data/plugin/hparams/session_groups", {
            "experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
            "colParams": [], "startIndex": 0, "sliceSize": 1000,
        })
        return {"address": base, "runs": runs, "experiment": experiment, "session_groups": groups}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def main():
    arguments = sys.argv[1:]
    if not arguments or len(arguments) > 2 or (len(arguments) == 2 and arguments[1] != "--serve"):
        sys.exit("usage: tensorboard_hparams.py LOG_FOLDER [--serve]")
    folder = arguments[0]
    result = read(folder)
    if len(arguments) == 2:
        sessions = [run for run, data in result["hparams"].items() if "session_start_info" in data]
        result["http"] = serve(folder, sessions)
        result["http"]["pid_stopped"] = True
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
