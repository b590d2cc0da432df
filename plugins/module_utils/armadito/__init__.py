# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The armadito agent core.

A plain Python package (standard library and ``requests`` only, relative imports, nothing from
Ansible) so that the same files run inside an Ansible module and as the ``armadito-agent``
command line.
"""

# The collection version: sent as ``agent_version`` and in the ``User-Agent`` header.
__version__ = "1.0.0"
