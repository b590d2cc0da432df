"""A private clamd with a tiny offline signature database (antivirus.md 5.2, 5.3, 5.5).

freshclam cannot download here, so the database is an unsigned ``daily.cud`` built by sigtool,
with its build time rewritten to make it as old as a test needs.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import tarfile
import time

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamd import Clamd

EICAR_MD5_SIGNATURE = "44d88612fea8a8f36de82e1278abb02f:68:Local.Eicar.HDB\n"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# The test program embedded in every file of the clamav-testfiles package (antivirus.md 5.2).
TESTFILES = "/usr/share/clamav-testfiles"
TESTFILES_SIGNATURE = "aa15bcf478d165efd2065190eb473bcb:544:Local.ClamAV-Test-File.HDB\n"
HEADER_SIZE = 512


def build_daily(path, version, build_time):
    """Write ``path`` (a daily.cud) holding one signature, claiming ``version`` and ``build_time``."""
    work = os.path.join(os.path.dirname(path), ".build-%d" % version)
    os.makedirs(work)
    try:
        with open(os.path.join(work, "daily.hdb"), "w") as handle:
            handle.write(EICAR_MD5_SIGNATURE)
        # sigtool --build wants a COPYING file in the current directory. It also raises the
        # version past the host's own daily database unless --datadir points elsewhere.
        shutil.copy("/usr/share/common-licenses/GPL-2", os.path.join(work, "COPYING"))
        subprocess.run(["sigtool", "--build=daily.cud", "--unsigned", "--cvd-version=%d" % version, "--no-cdiff",
                        "--datadir=%s" % work],
                       cwd=work, input="tester\n", text=True, capture_output=True, check=True)
        with open(os.path.join(work, "daily.cud"), "rb") as handle:
            container = handle.read()
    finally:
        shutil.rmtree(work)
    with open(path, "wb") as handle:
        handle.write(_redate(container, build_time))


def _redate(container, build_time):
    """Rewrite the build time in the outer header and in daily.info consistently (antivirus.md 5.3)."""
    fields = container[:HEADER_SIZE].decode("ascii").rstrip().split(":")
    fields[1] = time.strftime("%d %b %Y %H-%M +0000", time.gmtime(build_time))
    fields[8] = str(int(build_time))
    members = []
    with tarfile.open(fileobj=io.BytesIO(container[HEADER_SIZE:]), mode="r:gz") as archive:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == "daily.info":
                lines = data.decode("ascii").split("\n")
                lines[0] = ":".join(fields[:5] + ["X"] + fields[6:])
                data = "\n".join(lines).encode("ascii")
            members.append((member, data))
    body = io.BytesIO()
    with tarfile.open(fileobj=body, mode="w:gz") as archive:
        for member, data in members:
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    body = body.getvalue()
    fields[5] = hashlib.md5(body).hexdigest()
    header = ":".join(fields).encode("ascii")
    return header.ljust(HEADER_SIZE, b" ") + body


class ClamdLab:
    """clamd running as ``user`` (root by default) in the foreground, on a unix socket in ``directory``.

    ``restart_command`` restarts it detached (as a service manager would): the process is then
    found through its pid file. ``freshclam_config`` is a freshclam.conf of the lab's own.
    """

    def __init__(self, directory, user="root"):
        self.directory = directory
        self.database_dir = os.path.join(directory, "db")
        self.socket = os.path.join(directory, "clamd.sock")
        self.config = os.path.join(directory, "clamd.conf")
        self.log = os.path.join(directory, "clamd.log")
        self.pid_file = os.path.join(directory, "clamd.pid")
        self.freshclam_config = os.path.join(directory, "freshclam.conf")
        self.restart_command = os.path.join(directory, "restart-clamd")
        self.process = None
        os.makedirs(self.database_dir)
        with open(os.path.join(self.database_dir, "testfiles.hdb"), "w") as handle:
            handle.write(TESTFILES_SIGNATURE)
        with open(self.freshclam_config, "w") as handle:
            handle.write("# freshclam of the lab\nDatabaseDirectory %s\nChecks 24\nDatabaseMirror database.clamav.net\n"
                         % self.database_dir)
        with open(self.config, "w") as handle:
            handle.write(
                "LocalSocket %s\nFixStaleSocket yes\nDatabaseDirectory %s\nLogFile %s\nLogTime yes\n"
                "PidFile %s\nForeground yes\nUser %s\nMaxThreads 2\nSelfCheck 3600\n"
                % (self.socket, self.database_dir, self.log, self.pid_file, user)
            )
        with open(self.restart_command, "w") as handle:
            handle.write("#!/bin/sh\nkill $(cat %s) && while [ -e %s ]; do sleep 0.05; done\n"
                         "exec setsid -f %s --config-file=%s </dev/null >/dev/null 2>&1\n"
                         % (self.pid_file, self.pid_file, shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin"), self.config))
        os.chmod(self.restart_command, 0o755)

    def install_daily(self, version, age_days):
        """Replace the daily database by one built ``age_days`` ago, and make clamd load it."""
        build_daily(os.path.join(self.database_dir, "daily.cud"), version, time.time() - age_days * 86400)
        if self.process is not None:
            Clamd(self.socket).command("RELOAD")
            self._wait(lambda: Clamd(self.socket).version().split("/")[1:2] == [str(version)])

    def start(self, clamd_program):
        self.process = subprocess.Popen([clamd_program, "--config-file=%s" % self.config],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda: Clamd(self.socket).ping())

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
        # A clamd started by restart_command is not our child.
        try:
            with open(self.pid_file) as handle:
                os.kill(int(handle.read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass

    def command(self, name):
        return Clamd(self.socket).command(name)

    def _wait(self, ready, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("clamd exited with status %s; see %s" % (self.process.returncode, self.log))
            try:
                if ready():
                    return
            except Exception:  # noqa: BLE001 - not ready yet, whatever the reason
                pass
            time.sleep(0.05)
        raise RuntimeError("clamd not ready after %s seconds; see %s" % (timeout, self.log))
