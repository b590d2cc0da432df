# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP client of every agent endpoint, for armadito-server and the legacy GLPI plugin."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlsplit

from . import __version__
from .errors import ArmaditoError, ServerError


USER_AGENT = "armadito-fleet/%s" % __version__

# Worth retrying: the request most likely never reached the application.
RETRY_STATUSES = frozenset((502, 503, 504))
MAX_BACKOFF = 30

# The legacy plugin builds error bodies by concatenation without escaping quotes, e.g.
# {"error" : "Invalid UUID : "x""}: take everything between the first quote after the colon
# and the last quote before the closing brace.
_LEGACY_ERROR = re.compile(r'\{\s*"error"\s*:\s*"(?P<message>.*)"\s*\}\s*$', re.DOTALL)
_ERROR_MARKER = re.compile(r'\{\s*"error"\s*:')

_HINTS = {
    401: "the server no longer accepts this agent's token: enroll the agent again",
    403: "the server refuses this agent: check that agent_id and uuid in the state directory belong together, "
         "or enroll again",
    404: "the server does not know this agent (deleted server-side?): enroll the agent again",
    409: "the server refused the transition: fetch fresh data and retry",
    413: "the request is too large for the server: raise its limit or send less",
}
_HINT_CLIENT_ERROR = "the server rejected the request: fix what its message names"
_HINT_SERVER_ERROR = "the server failed: look at its log, then retry"
_HINT_UNREACHABLE = "check server_url, the network path and that armadito-server is running"


def requests_import_error():
    """The ImportError of the ``requests`` library, or None when it is installed.

    ``requests`` is imported on first use only: it costs a tenth of a second per module run, and
    modules that never talk HTTP (armadito_info without a server) should not pay it.
    """
    try:
        import requests  # noqa: F401 - only whether it imports matters here
    except ImportError as exc:
        return exc
    return None


class Client:
    """One :class:`requests.Session` for every call, with retries and the agent's headers.

    ``server_url`` is the base URL (``https://host`` or a legacy
    ``http://host/glpi/plugins/armadito``); endpoint paths from :mod:`.protocol` are appended.
    ``hints`` maps HTTP statuses to what the caller should do (default: an agent's view).
    """

    def __init__(self, server_url, token=None, validate_certs=True, ca_path=None, client_cert=None,
                 client_key=None, timeout=30, retries=3, proxy=None, backoff_factor=0.5, sleep=time.sleep,
                 hints=None):
        if requests_import_error() is not None:
            raise ArmaditoError("the Python library 'requests' is missing", "install python3-requests on the host")
        import requests

        self._exceptions = requests.exceptions
        self.base_url = normalize_server_url(server_url)
        self.hints = _HINTS if hints is None else hints
        self.timeout = timeout
        self.retries = retries
        self.backoff_factor = backoff_factor
        self._sleep = sleep
        # Passed with each request: Session.proxies would lose against the environment's
        # proxies, whereas an explicit `proxy` must win. None keeps the environment's.
        self._proxies = {"http": proxy, "https": proxy} if proxy else None
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        if token:
            self.session.headers["Authorization"] = "Bearer %s" % token
        self.session.verify = (ca_path or True) if validate_certs else False
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert

    def get(self, endpoint, params=None):
        return self.request("GET", endpoint, params=params)

    def post(self, endpoint, document):
        return self.request("POST", endpoint, document=document)

    def request(self, method, endpoint, params=None, document=None):
        """The decoded JSON body: an object (``{}`` for the legacy plugin's empty success
        bodies), or an array (admin API listings).

        Raises :class:`ServerError` for anything else.
        """
        url = self.base_url + endpoint
        data = None
        headers = {}
        if document is not None:
            data = json.dumps(document, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            try:
                response = self.session.request(
                    method, url, params=params, data=data, headers=headers,
                    timeout=self.timeout, proxies=self._proxies,
                )
            except self._exceptions.SSLError as exc:
                # A subclass of ConnectionError, but retrying cannot fix a certificate.
                raise ServerError(method, endpoint, None, "TLS error: %s" % _reason(exc),
                                  "set ca_path to the CA that signed the server certificate, "
                                  "or validate_certs: false for a test server")
            except self._exceptions.ConnectionError as exc:
                if attempt < self.retries:
                    attempt = self._backoff(attempt)
                    continue
                raise ServerError(method, endpoint, None,
                                  "cannot connect to %s (%s)" % (self.base_url, _reason(exc)), _HINT_UNREACHABLE)
            except self._exceptions.Timeout:
                # A read timeout may mean the server did the work: never replay it.
                raise ServerError(method, endpoint, None,
                                  "no answer from %s within %s seconds" % (self.base_url, self.timeout),
                                  "raise timeout, or look at the server's load")
            except self._exceptions.RequestException as exc:
                raise ServerError(method, endpoint, None, _reason(exc), _HINT_UNREACHABLE)
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                attempt = self._backoff(attempt)
                continue
            return _decode(method, endpoint, response, self.hints)

    def _backoff(self, attempt):
        self._sleep(min(MAX_BACKOFF, self.backoff_factor * (2 ** attempt)))
        return attempt + 1


def normalize_server_url(server_url):
    """The base URL without trailing slashes, so that ``base + "/api/x"`` has no double slash."""
    value = (server_url or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArmaditoError(
            "invalid server URL %r" % server_url,
            "give http(s)://host[:port][/prefix], for example https://armadito.example.com",
        )
    return value.rstrip("/")


def _decode(method, endpoint, response, hints):
    text = response.text or ""
    status = response.status_code
    if 200 <= status < 300:
        if not text.strip():
            return {}
        if text.lstrip().startswith("["):
            body = _json_array(text)
            if body is not None:
                return body
        # A legacy plugin with PHP notices can answer 200 with an error body.
        if not _ERROR_MARKER.search(text):
            body = _json_object(text)
            if body is not None:
                return body
            raise ServerError(method, endpoint, status, "the answer is not JSON: %s" % _excerpt(text),
                              "check that server_url points at armadito-server (or the legacy plugin)")
    message = _server_message(text) or response.reason or "no message"
    if status in hints:
        hint = hints[status]
    elif status >= 500:
        hint = _HINT_SERVER_ERROR
    else:
        hint = _HINT_CLIENT_ERROR
    raise ServerError(method, endpoint, status, message, hint)


def _json_object(text):
    """The JSON object in ``text``; a legacy body may carry PHP notices (HTML) before it."""
    for candidate in (text, text[text.find("{"):] if "{" in text else ""):
        try:
            body = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(body, dict):
            return body
    return None


def _json_array(text):
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, list) else None


def _server_message(text):
    body = _json_object(text)
    if body is not None:
        # "message" is the pre-November-2016 error shape of the plugin.
        for field in ("error", "message", "detail"):
            if body.get(field):
                return str(body[field])
    match = _LEGACY_ERROR.search(text)
    if match:
        return match.group("message")
    return _excerpt(text) if text.strip() else None


def _excerpt(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _reason(exc):
    # requests wraps urllib3 errors several levels deep; the innermost says what happened.
    while exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    text = str(getattr(exc, "reason", None) or exc)
    # "HTTPConnection(host='h', port=1): Failed to establish a new connection: [Errno 111] ..."
    # names the URL we already print; keep what happened.
    return text.split("): ", 1)[1] if text.startswith(("HTTPConnection(", "HTTPSConnection(")) and "): " in text else text
