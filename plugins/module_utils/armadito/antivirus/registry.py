# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The known backends and the choice of one (explicit name or ``auto``)."""

from __future__ import annotations

from ..errors import ArmaditoError
from .clamav import ClamAV

# The order of auto detection: the first installed engine wins.
BACKENDS = (ClamAV,)

AUTO = "auto"


def supported_names():
    return [backend.name for backend in BACKENDS]


def select(name=AUTO, options=None):
    """An instance of the backend called ``name`` (case-insensitive), or of the first installed one."""
    name = (name or AUTO).strip()
    if name.lower() == AUTO:
        for backend in BACKENDS:
            candidate = backend(options)
            if candidate.installed():
                return candidate
        raise ArmaditoError(
            "no supported antivirus found on this host (supported: %s)" % ", ".join(supported_names()),
            "install one (for example the clamav and clamav-daemon packages) or set antivirus",
        )
    for backend in BACKENDS:
        if backend.name.lower() == name.lower():
            candidate = backend(options)
            if not candidate.installed():
                raise ArmaditoError("%s is not installed on this host" % backend.name,
                                    "install it, or set antivirus: auto")
            return candidate
    raise ArmaditoError(
        "unsupported antivirus %r" % name,
        "use one of: %s, or auto" % ", ".join(supported_names()),
    )
