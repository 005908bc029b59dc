"""Gongshi's history capability: dates from git, the working-day calendar, deadlines, the report.

Layers (each imports only those above it in this list):
- ``workdays``  the official working-day calendar (chinese-calendar + content/calendar/);
- ``gitlog``    one ``git log --first-parent`` walk → every record's versions;
- ``blobs``, ``fields``, ``trail``  file contents in one batch → publication, withdrawal and
  the fields each commit changed;
- ``publishing`` what the portal asks: 未发布 records, per-record timelines;
- ``deadlines``  the legal deadlines with their settings;
- ``report``     compliance findings and per-agency timeliness.

It wires no Pelican signals: the portal calls these functions.
"""

from .gitlog import CHINA_TIME, Commit, HistoryUnavailable, ShallowClone
from .trail import Change, History, read_history
from .workdays import CalendarMissing, WorkCalendar, add_working_days

__all__ = [
    "CHINA_TIME",
    "CalendarMissing",
    "Change",
    "Commit",
    "History",
    "HistoryUnavailable",
    "ShallowClone",
    "WorkCalendar",
    "add_working_days",
    "read_history",
]
