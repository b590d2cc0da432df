# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Antivirus backends: one class per engine (:mod:`.base` for the interface, :mod:`.registry` to pick one)."""
