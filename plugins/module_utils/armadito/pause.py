# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The legacy wait options (``-w``, ``-wr``): sleep before a task, so a fleet's cron runs spread out."""

from __future__ import annotations

import random
import time


def pause(wait=0, wait_random=0, sleep=time.sleep, randrange=random.randrange):
    """Sleep ``wait`` seconds, then a random whole number of seconds in 0..wait_random-1.

    Returns the seconds slept.
    """
    seconds = max(0, int(wait or 0))
    if wait_random and int(wait_random) > 0:
        seconds += randrange(int(wait_random))
    if seconds:
        sleep(seconds)
    return seconds
