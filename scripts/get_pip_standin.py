"""Offline stand-in for ansible-test's pip bootstrap script (``get-pip-<version>.py``).

``ansible-test ... --venv`` bootstraps pip in every virtual environment it creates by running
``~/.ansible/test/cache/get_pip_<version>.py`` (downloading it from a host this project's
machines cannot reach when the file is missing). ``scripts/install-ansible-test-standin``
copies this file to that path. It does what the real script does, from local parts:

1. ``ensurepip`` installs the pip wheel bundled with the running Python;
2. ``pip install <arguments>`` (e.g. ``--disable-pip-version-check pip==24.2``) then brings pip
   to the version ansible-test asks for, from the package index pip is configured to use.

``ensurepip`` clears pip's configuration (``PIP_*`` variables, ``PIP_CONFIG_FILE``) in its own
process, so the environment is saved first and the second step runs in a subprocess with it.
``--no-setuptools`` and ``--no-wheel`` are options of get-pip.py only: they are dropped here
(ensurepip installs no setuptools or wheel on Python 3.12+, and neither matters to ansible-test).

Kept compatible with every Python ansible-test may bootstrap (3.6 and later).
"""

import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main(argv):
    saved_environment = dict(os.environ)
    import ensurepip

    ensurepip.bootstrap(upgrade=True)
    arguments = [arg for arg in argv if arg not in GET_PIP_ONLY_OPTIONS]
    if not any(not arg.startswith("-") for arg in arguments):
        return 0  # nothing but options: the bundled pip is all that was asked for
    command = [sys.executable, "-m", "pip", "install"] + arguments
    return subprocess.call(command, env=saved_environment)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
