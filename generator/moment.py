"""The moment a build, a report or a check is "as of": one rule for every date that depends on today.

SOURCE_DATE_EPOCH when set (a build always sets it, to the last commit's time, so output is reproducible and
tests can choose the day), else now. Deadlines that have passed, upcoming events and "Stand" dates all ask here.
"""

from __future__ import annotations

import datetime as dt
import os


def build_moment() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)


def build_date() -> dt.date:
    return build_moment().date()
