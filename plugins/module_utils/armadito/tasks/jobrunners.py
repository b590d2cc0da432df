# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What each job type runs: ``RUNNERS[job_type](settings, job)`` returns the job's result or raises."""

from __future__ import annotations

import base64
import binascii

from ..errors import ArmaditoError
from .scan import run_scan


def scan_job(settings, job):
    """A Scan job (protocol.md 4.2, 20.8.4): the base64 path and options of its scan configuration,
    scanned and reported (POST /api/scans, then /api/alerts) under the job's id."""
    obj = job.get("obj") if isinstance(job.get("obj"), dict) else {}
    path = _decoded(obj, "scan_path")
    if not path:
        raise ArmaditoError("the job has an empty scan_path", "fix the scan configuration on the server")
    return run_scan(settings, [path], options=_decoded(obj, "scan_options"), job_id=int(job["job_id"]), report=True)


def _decoded(obj, field):
    if field not in obj or obj[field] is None:
        raise ArmaditoError("the job has no %s" % field, "check that the server speaks the Armadito protocol")
    try:
        return base64.b64decode(str(obj[field]), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ArmaditoError("the job's %s is not base64 of UTF-8 text: %r" % (field, obj[field]),
                            "check that the server speaks the Armadito protocol")


RUNNERS = {"Scan": scan_job}
