"""音像记录事项清单: an item's recording form agrees with its method, and the acts every seed
policy puts under full audio-video recording (查封、扣押、强制拆除) are listed as such.

``form: 全程音像`` is how a list marks an act that must always be recorded on video from start
to end; ``method`` (全过程记录 | 关键环节记录, the older field) says how much of the act is
recorded, so 全程音像 needs 全过程记录. Lists written before ``form`` existed state no form and are
not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Finding, error, warning
from .model import Record
from .registry import Kind

FULL_AV = "全程音像"
WHOLE_PROCESS = "全过程记录"
# Acts that always need full audio-video recording (DOMAIN.md; seeds/000, 002, 003).
ALWAYS_FULL_AV = re.compile(r"查封|扣押|强制拆除|强行拆除")


def av_list_forms(record: Record) -> Iterator[Finding]:
    if record.kind != Kind.AV_LIST:
        return
    items = record.get("items")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("form"), str):
            continue
        form, where = item["form"], ("items", index, "form")
        if form == FULL_AV and item.get("method") not in (None, WHOLE_PROCESS):
            mark = record.mark(where)
            yield error(
                record.path,
                mark.line,
                mark.col,
                "av-list.form",
                f"记录形式为“全程音像”，记录方式却是“{item.get('method')}”：全程音像记录须从开始到"
                f"结束不间断记录，请把 method 改为 {WHOLE_PROCESS}，或改正记录形式",
            )
        names = f"{item.get('name', '')} {item.get('scope', '')}"
        if form != FULL_AV and (act := ALWAYS_FULL_AV.search(names)):
            mark = record.mark(where)
            yield warning(
                record.path,
                mark.line,
                mark.col,
                "av-list.full-recording",
                f"“{act.group(0)}”属于应当全程音像记录的执法活动，记录形式却是“{form}”："
                f"请改为 form: {FULL_AV}（method: {WHOLE_PROCESS}）",
            )
