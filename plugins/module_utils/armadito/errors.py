# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The exceptions of the agent core.

Every failure that a user can act on is an :class:`ArmaditoError` whose message says what went
wrong and what to do; the Ansible glue and the command line print it as is.
"""

from __future__ import annotations


class ArmaditoError(Exception):
    """A failure with a message fit for an operator: what happened, then what to do."""

    def __init__(self, message, hint=None, details=None):
        self.message = message
        self.hint = hint
        # Machine-readable facts for callers (the Ansible glue returns them next to msg).
        self.details = details or {}
        super().__init__(message if not hint else "%s: %s" % (message, hint))


class ServerError(ArmaditoError):
    """The server could not be reached or answered with an error.

    ``status`` is the HTTP status (None when no answer came back) and ``server_message`` the
    text the server gave (the ``error`` field of its JSON body, when there is one).
    """

    def __init__(self, method, endpoint, status, server_message, hint):
        self.method = method
        self.endpoint = endpoint
        self.status = status
        self.server_message = server_message
        where = "%s %s" % (method, endpoint)
        if status is None:
            what = "%s failed: %s" % (where, server_message)
        else:
            what = "%s failed with HTTP %s: %s" % (where, status, server_message)
        super().__init__(what, hint, {"status": status, "server_message": server_message})
