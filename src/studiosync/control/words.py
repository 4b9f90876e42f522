"""Who holds a lock, in words, with the moment in the studio's time zone."""

from __future__ import annotations

import datetime as dt

from studiosync.control.locks import Holder
from studiosync.wording.times import day_at, stamp, zone_of


def holder_words(holder: Holder, zone: str, now: dt.datetime | None = None) -> str:
    """ "front-desk (process 4242), since today at 09:02".

    Without ``now`` (words kept for later, as in a log line) the date is always given.
    """
    if holder.since is None:
        return holder.describe()
    since = day_at(holder.since, zone_of(zone), now) if now else stamp(holder.since, zone_of(zone))
    return f"{holder.describe()}, since {since}"
