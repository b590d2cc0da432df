#!/usr/bin/env python3
"""Scan benchmark: armadito_scan against ``clamdscan --multiscan``, same clamd, same trees, one run.

Starts a private clamd (the integration tests' offline lab: root and the clamav, clamav-daemon
packages needed) and scans, for each tree, alternately and ``--repeat`` times after one warm-up
round each (clamd caches the verdicts of clean files, for both alike):

1. ``clamdscan --multiscan --no-summary`` (the reference);
2. the agent core, in process: ``tasks.scan.run_scan(settings, [tree], report=False)``;
3. the ``armadito.fleet.armadito_scan`` module through ``ansible localhost -m``: its own
   ``duration`` (the scan inside the module) and the wall time of the whole ``ansible`` command
   (Python and Ansible start-up included, about a second whatever the tree).

Trees: ``/usr/share/clamav-testfiles`` (44 files, archives, packers, documents; skipped when the
clamav-testfiles package is missing) and a generated tree of ``--files`` small files in 50
directories, one in 100 an EICAR file. Printed: the medians, the detections of each tool (they
must agree) and the ratios to clamdscan. Goal: core and module scan within 1.2x of clamdscan.

Usage: ``make bench-scan`` or ``.venv/bin/python bench/scan.py [--files 4000] [--repeat 5]``.
``--strict`` exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from collection_staging import stage  # noqa: E402

COLLECTIONS_ROOT = stage()

from clamav_lab import EICAR, TESTFILES, ClamdLab  # noqa: E402

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import Settings  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scan import run_scan  # noqa: E402

GOAL = 1.2
DIRECTORIES = 50


def generate_tree(root, files):
    for index in range(files):
        directory = os.path.join(root, "d%02d" % (index % DIRECTORIES))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "f%05d.txt" % index), "wb") as handle:
            handle.write(EICAR if index % 100 == 0 else (b"line %d of a small clean file\n" % index) * 20)
    return root


def timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def clamdscan(lab, tree):
    completed = subprocess.run([shutil.which("clamdscan"), "--config-file=%s" % lab.config, "--multiscan",
                                "--no-summary", tree], capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1):
        raise RuntimeError("clamdscan failed: %s" % completed.stderr)
    return sum(1 for line in completed.stdout.splitlines() if line.endswith(" FOUND"))


def core(settings, tree):
    return len(run_scan(settings, [tree], report=False)["detections"])


def module(lab, workdir, tree):
    inventory = os.path.join(workdir, "inventory")
    with open(inventory, "w") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    tree_dir = tempfile.mkdtemp(dir=workdir)
    args = {"path": tree, "report": False, "state_dir": os.path.join(workdir, "state"), "antivirus": "ClamAV",
            "antivirus_options": {"clamd_config": lab.config}}
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_HOME=os.path.join(workdir, "ansible"),
               ANSIBLE_NOCOLOR="1")
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    completed = subprocess.run([ansible, "-i", inventory, "localhost", "-m", "armadito.fleet.armadito_scan",
                                "-a", json.dumps(args), "-t", tree_dir], env=env, capture_output=True, text=True,
                               check=False)
    with open(os.path.join(tree_dir, "localhost")) as handle:
        result = json.load(handle)
    if completed.returncode != 0:
        raise RuntimeError("armadito_scan failed: %s" % result.get("msg"))
    return result["duration"], len(result["detections"])


def measure(lab, settings, workdir, tree, repeat):
    runs = {"clamdscan": [], "core": [], "module scan": [], "module ansible": []}
    found = {}
    for round_ in range(repeat + 1):
        seconds, found["clamdscan"] = timed(lambda: clamdscan(lab, tree))
        core_seconds, found["core"] = timed(lambda: core(settings, tree))
        wall, (inside, found["module"]) = timed(lambda: module(lab, workdir, tree))
        if round_:  # the first round warms clamd's cache and the page cache
            runs["clamdscan"].append(seconds)
            runs["core"].append(core_seconds)
            runs["module scan"].append(inside)
            runs["module ansible"].append(wall)
    return dict((name, statistics.median(values)) for name, values in runs.items()), found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=4000, help="files of the generated tree (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="measured rounds per tree (default %(default)s)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    clamd = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if not clamd or not shutil.which("clamdscan"):
        sys.exit("bench/scan.py needs clamd and clamdscan (make system-packages)")
    missed = []
    with tempfile.TemporaryDirectory(prefix="armadito-bench-scan-") as workdir:
        lab = ClamdLab(os.path.join(workdir, "clamav"))
        lab.install_daily(27000, age_days=0)
        lab.start(clamd)
        try:
            settings = Settings(state_dir=os.path.join(workdir, "state"), antivirus="ClamAV",
                                antivirus_options={"clamd_config": lab.config})
            trees = [("generated, %d files" % args.files, generate_tree(os.path.join(workdir, "tree"), args.files))]
            if os.path.isdir(TESTFILES):
                trees.insert(0, ("clamav-testfiles, 44 files", TESTFILES))
            else:
                print("clamav-testfiles is not installed: that tree is skipped")
            threads = lab.command("STATS").split("max ")[1].split()[0]
            print("clamd %s, MaxThreads %s, median of %d rounds after one warm-up round\n"
                  % (lab.command("VERSION"), threads, args.repeat))
            print("%-28s %10s %10s %12s %15s %8s %8s" % ("tree", "clamdscan", "core", "module scan", "module ansible",
                                                       "core/ref", "mod/ref"))
            for name, tree in trees:
                medians, found = measure(lab, settings, workdir, tree, args.repeat)
                reference = medians["clamdscan"]
                core_ratio = medians["core"] / reference
                module_ratio = medians["module scan"] / reference
                print("%-28s %9.3fs %9.3fs %11.3fs %14.3fs %7.2fx %7.2fx" % (
                    name, reference, medians["core"], medians["module scan"], medians["module ansible"],
                    core_ratio, module_ratio))
                print("%-28s detections: clamdscan %d, core %d, module %d" % ("", found["clamdscan"], found["core"],
                                                                            found["module"]))
                if len(set(found.values())) != 1:
                    missed.append("%s: the detections differ" % name)
                for label, ratio in (("core", core_ratio), ("module scan", module_ratio)):
                    if ratio > GOAL:
                        missed.append("%s: %s is %.2fx clamdscan (goal %.1fx)" % (name, label, ratio, GOAL))
        finally:
            lab.stop()
    print("\ngoal: core and module scan within %.1fx of clamdscan --multiscan: %s"
          % (GOAL, "met" if not missed else "MISSED (%s)" % "; ".join(missed)))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
