#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_scan
short_description: Scan files and directories with the host's antivirus and report the detections
version_added: 1.0.0
description:
  - Scans files and directories (recursively) with the antivirus engine and returns the counts and every detection.
  - With ClamAV, the files go to clamd in parallel (one C(IDSESSION), the equivalent of C(clamdscan --multiscan));
    files clamd may not open itself are passed to it as open descriptors, so they are scanned too.
    When clamd does not answer, C(clamscan) scans instead, unless O(fallback=false).
  - The scan continues past detections. Nothing is removed, moved or quarantined.
  - When the host is enrolled (or O(report=true)), the detections are sent to the server as alerts
    (C(POST /api/alerts)). If the server cannot be reached they stay in the state directory and
    M(armadito.fleet.armadito_alerts) sends them later.
  - Symbolic links inside directories are not followed; special files (devices, sockets, pipes) are not scanned.
author:
  - armadito.fleet contributors (@armadito)
requirements:
  - requests (Python library on the managed host), when reporting
extends_documentation_fragment:
  - armadito.fleet.attributes
  - armadito.fleet.connection
attributes:
  check_mode:
    support: full
    details:
      - A scan changes nothing on the host, so check mode scans too; it sends nothing to the server.
  diff_mode:
    support: none
options:
  path:
    description:
      - Files or directories to scan.
    type: list
    elements: path
    required: true
  exclude:
    description:
      - Regular expressions; files whose full path matches one are not scanned (as C(clamscan --exclude)).
    type: list
    elements: str
    default: []
  exclude_dir:
    description:
      - Regular expressions; directories whose full path matches one are not entered (as C(clamscan --exclude-dir)).
    type: list
    elements: str
    default: []
  max_filesize:
    description:
      - Files larger than this are not scanned (counted in RV(skipped_count)).
      - Bytes, or a number with a V(K), V(M) or V(G) suffix, for example V(25M).
    type: str
  scan_archive:
    description:
      - Look inside archives.
      - clamd applies its own C(ScanArchive) setting to every request, so V(false) scans with C(clamscan).
    type: bool
    default: true
  options:
    description:
      - Scan options as text, in the form the scan configurations of the server hold them, for example
        V(--exclude-dir=^/proc --max-filesize=25M --no-archive).
      - Accepted are V(--exclude), V(--exclude-dir), V(--max-filesize), V(--scan-archive=yes|no), V(--no-archive),
        and V(-r), V(--recursive), V(-i), V(--infected), V(--no-summary), which change nothing.
        Anything else is refused; the text is never given to a shell.
      - Added to the other options.
    type: str
  fallback:
    description:
      - Scan with C(clamscan) when clamd does not answer. Much slower with the official databases,
        which C(clamscan) loads at every start.
    type: bool
    default: true
  report:
    description:
      - Send the detections to the server.
      - By default, when the host is enrolled. V(true) on a host that is not enrolled fails.
    type: bool
notes:
  - B(changed) is V(true) when the scan sent detections to the server (and in check mode when it would have).
    A scan changes nothing on the host, but the server's alerts changed. A clean scan is never changed.
    Use RV(malware_count) in C(failed_when) to fail a play on detections.
  - Scan results (counts, duration) are stored by the server only for scans that belong to a job
    (M(armadito.fleet.armadito_runjobs)); a scan run by this module reports its detections only.
seealso:
  - module: armadito.fleet.armadito_alerts
  - module: armadito.fleet.armadito_runjobs
"""

EXAMPLES = r"""
- name: Scan the home directories and report the detections
  armadito.fleet.armadito_scan:
    path: /home
  register: scan

- name: Fail the play when malware was found
  armadito.fleet.armadito_scan:
    path:
      - /srv/uploads
      - /tmp
    exclude:
      - \.iso$
    max_filesize: 100M
  register: scan
  failed_when: scan.malware_count > 0

- name: Scan without the server and without archives
  armadito.fleet.armadito_scan:
    path: /srv/data
    scan_archive: false
    report: false
"""

RETURN = r"""
engine:
  description: What scanned, V(clamd) or V(clamscan).
  returned: success
  type: str
  sample: clamd
scanned_count:
  description: Files scanned.
  returned: success
  type: int
  sample: 4044
malware_count:
  description: Files found infected.
  returned: success
  type: int
  sample: 1
suspicious_count:
  description: Files found by a heuristic or as potentially unwanted (names starting with C(Heuristics.) or C(PUA.)).
  returned: success
  type: int
  sample: 0
error_count:
  description: Files and directories that could not be scanned (see RV(errors)).
  returned: success
  type: int
  sample: 0
skipped_count:
  description: Files larger than O(max_filesize), not scanned.
  returned: success
  type: int
  sample: 0
detections:
  description: Every detection.
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The file.
      type: str
      sample: /home/alice/eicar.com
    name:
      description: The signature that matched.
      type: str
      sample: Eicar-Signature
    detection_time:
      description: When it was found, Unix seconds.
      type: int
      sample: 1795868160
    suspicious:
      description: Whether the detection counts as suspicious rather than malware.
      type: bool
      sample: false
errors:
  description: Files and directories that could not be scanned, with the reason.
  returned: success
  type: list
  elements: dict
  sample:
    - path: /home/alice/broken.zip
      message: "Can't open file or directory"
duration:
  description: Seconds the scan took, walking the directories included.
  returned: success
  type: float
  sample: 1.42
start_time:
  description: When the scan started, Unix seconds.
  returned: success
  type: int
  sample: 1795868160
end_time:
  description: When the scan ended, Unix seconds.
  returned: success
  type: int
  sample: 1795868162
job_id:
  description: The job the scan belongs to; always null for this module.
  returned: success
  type: int
  sample: null
reported:
  description: Whether the detections were sent to the server.
  returned: success
  type: bool
  sample: true
options:
  description: The options the scan applied, O(options) included.
  returned: success
  type: dict
  sample:
    exclude: ["\\.iso$"]
    exclude_dir: []
    max_filesize: 104857600
    scan_archive: true
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito import scan_options
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scan import run_scan


def scan(settings, params, check_mode):
    """The module's options as ScanOptions (an invalid one fails like any task error), then the scan."""
    options = scan_options.ScanOptions(
        exclude=tuple(params["exclude"]),
        exclude_dir=tuple(params["exclude_dir"]),
        max_filesize=scan_options.parse_size(params["max_filesize"]) if params["max_filesize"] else None,
        scan_archive=params["scan_archive"],
    )
    options = scan_options.parse(params["options"], base=options)
    return run_scan(settings, params["path"], options=options, report=params["report"], fallback=params["fallback"],
                    check_mode=check_mode)


def main():
    module = armadito_module(
        dict(
            path=dict(type="list", elements="path", required=True),
            exclude=dict(type="list", elements="str", default=[]),
            exclude_dir=dict(type="list", elements="str", default=[]),
            max_filesize=dict(type="str"),
            scan_archive=dict(type="bool", default=True),
            options=dict(type="str"),
            fallback=dict(type="bool", default=True),
            report=dict(type="bool"),
        ),
        requires_server=False,
    )
    run_task(module, scan, module.params, module.check_mode)


if __name__ == "__main__":
    main()
