"""Rules across records: uniqueness, references, and who may sign a decision on which day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .attachments import attachment_problem
from .catalogue import catalogue_thresholds
from .creditrepair import credit_repair
from .discretion import discretion_levels
from .entrustment import entrustment_rules
from .findings import Finding, error
from .forking import LIGHT_RECORDS, imap_forked
from .identifiers import normalise_doc_no
from .model import Corpus, Record, finding_at
from .party_names import masked_party_names
from .patterns import MAX_SUBJECT, safe_fullmatch, safe_pattern
from .privacy_rules import certificate_privacy
from .registry import RECORD_TYPES, Kind, link_values, record_type
from .views import Decision, Officer, Review, covers
from .yamlload import JsonPath
from .zeroenforcement import zero_enforcement_rules

CorpusRule = Callable[[Corpus], Iterator[Finding]]


@dataclass(frozen=True)
class Reference:
    """A value in ``source`` at ``where`` that names another record (or an attachment file)."""

    source: Record
    where: JsonPath
    kind: str  # a record type (Kind), or "doc_no" (a decision by its 文号), or "file"
    key: str


def references(record: Record) -> Iterator[Reference]:
    """The registry's links of the record's type, then its attachment files."""
    agency = record.agency or ""
    data = _plain(record)
    for link in record_type(record.kind).links:
        for where, value in link_values(data, link.path):
            if link.by is not None:
                yield Reference(record, where, link.by, str(value))
            else:
                key = str(value) if link.scope == "portal" else f"{agency}/{value}"
                yield Reference(record, where, link.target, key)
    attachments = record_type(record.kind).attachments
    for where, value in link_values(data, attachments) if attachments else ():
        if isinstance(value, str):
            yield Reference(record, where, "file", f"{agency}/{value}")


def _plain(record: Record) -> Mapping[str, object]:
    """The record's data as link_values walks it (a dict): a record the corpus index summarised
    (model.LazyData) gives the fields its links and attachments start at, which the summary
    holds, without reading the rest."""
    if type(record.data) is dict:
        return record.data
    starts = record_type(record.kind).linked_fields
    return {key: record.data[key] for key in starts if key in record.data}


def required_records(corpus: Corpus) -> Iterator[Finding]:
    """A portal has its portal.yaml; every agency folder has its agency.yaml."""
    if corpus.portal is None:
        yield error(
            f"{corpus.prefix}/portal.yaml",
            1,
            1,
            "portal.missing",
            "缺少 portal.yaml：请填写平台名称（name）、地区（region）和发布单位（publisher）",
        )
    agencies = corpus.agencies()
    reported: set[str] = set()
    for record in corpus:
        if record.agency and record.agency not in agencies and record.agency not in reported:
            reported.add(record.agency)
            yield error(
                record.path,
                1,
                1,
                "agency.missing",
                f"机构目录 agencies/{record.agency}/ 缺少 agency.yaml：请先建立执法主体信息",
            )


def unique_doc_no(corpus: Corpus) -> Iterator[Finding]:
    """A 文号 names one decision in the whole portal, whatever brackets were typed."""
    first: dict[str, Record] = {}
    for record, doc_no, norm in corpus.doc_nos():
        if not isinstance(doc_no, str):
            continue
        if norm in first:
            other = first[norm]
            written = other.get("doc_no")
            spelled = f"（写作「{written}」：括号、数字、“第”或空格写法不同，仍是同一文号）"
            same = "" if written == doc_no else spelled
            yield finding_at(
                record,
                ("doc_no",),
                "doc-no.unique",
                f"文号「{doc_no}」已被 {other.path} 使用{same}：每个决定的文号必须唯一，"
                "请核对两份文件，改正其中一个文号",
            )
        else:
            first[norm] = record


def officer_certificates(corpus: Corpus) -> Iterator[Finding]:
    """Certificate numbers are unique in the portal and follow the portal's pattern."""
    # An unsafe or broken pattern is setting.pattern's (or the schema's) finding, never matched.
    pattern = safe_pattern(corpus.portal.get("cert_no_pattern") if corpus.portal else None)
    # Compared without case: the number names the officer's page and short address
    # (officers/<cert>.html, z/<cert>/), and a mirror on a case-insensitive file system would
    # serve one officer's page for the other's printed QR code.
    seen: dict[str, Record] = {}
    for record in corpus.of(Kind.OFFICER):
        cert = record.key
        earlier = seen.get(cert.casefold())
        if earlier is not None:
            case = "" if earlier.key == cert else f"（{earlier.key}，仅大小写不同）"
            yield finding_at(
                record,
                ("cert_no",),
                "cert-no.unique",
                f"执法证号 {cert} 已在 {earlier.path}{case} 中登记：同一证号只能有一条人员记录",
            )
        seen.setdefault(cert.casefold(), record)
        if pattern is not None and not safe_fullmatch(pattern, cert):
            yield finding_at(
                record,
                ("cert_no",),
                "cert-no.pattern",
                f"执法证号 {cert[:MAX_SUBJECT]} 不符合本平台的证号格式 {pattern.pattern}："
                "请核对执法证",
            )


def target_keys(corpus: Corpus, kind: str) -> set[str]:
    """What a reference of ``kind`` can name: every decision's 文号 in its standard spelling
    ("doc_no"), else every key of that type."""
    if kind == "doc_no":
        return {norm for _record, _doc_no, norm in corpus.doc_nos()}
    return {r.key for r in corpus.of(kind)}


def references_exist(corpus: Corpus) -> Iterator[Finding]:
    """Every officer, power, flowchart, 文号 and attachment a record names exists."""
    targets = {link.target for t in RECORD_TYPES.values() for link in t.links if not link.by}
    keys = {kind: target_keys(corpus, kind) for kind in (*targets, "doc_no")}
    labels = {kind.value: RECORD_TYPES[kind].label for kind in targets} | {"doc_no": "决定文号"}
    for record in corpus.subjects():
        for ref in references(record):
            if ref.kind == "file":
                agency, _, name = ref.key.partition("/")
                problem = attachment_problem(corpus.content_dir, agency, name)
                if problem is not None:
                    yield finding_at(record, ref.where, *problem)
                continue
            key = normalise_doc_no(ref.key) if ref.kind == "doc_no" else ref.key
            if key not in keys[ref.kind]:
                shown = ref.key.rsplit("/", 1)[-1]
                yield finding_at(
                    record,
                    ref.where,
                    f"reference.{ref.kind.replace('_', '-')}",
                    f"引用的{labels[ref.kind]}「{shown}」不存在：请核对编号，或先添加该记录",
                )


def decision_signatories(corpus: Corpus) -> Iterator[Finding]:
    """Signatories held a valid certificate with the right role on the day they signed; an
    adviser who reviewed was engaged by the agency on the day of the review."""
    officers = {cert: _Signer.of(officer) for cert, officer in corpus.officers().items()}
    advisers = {r.key: r for r in corpus.of(Kind.ADVISER)}
    for record in corpus.subjects(Kind.DECISION):
        decision = Decision(record)
        decided = decision.decided_on
        for i, cert in enumerate(decision.officers):
            officer = officers.get(cert)
            if officer and decided:
                yield from _signatory(record, ("officers", i), officer, decided, "执法")
        if decision.is_penalty and len(decision.officers) < 2:
            yield finding_at(
                record,
                ("officers",),
                "officer.count",
                "行政处罚应由两名以上执法人员实施（行政处罚法第四十二条）",
                warn=True,
            )
        yield from _review_signatories(record, officers, advisers)


def _review_signatories(
    record: Record, officers: Mapping[str, _Signer], advisers: Mapping[str, Record]
) -> Iterator[Finding]:
    """Reviewers held the 法制审核 role and a valid certificate, advisers an engagement, on the
    day of the review. Unknown ones are references_exist's findings."""
    review = Decision(record).review
    reviewed = review.reviewed_on if review else None
    if review is None or reviewed is None:
        return
    for i, cert in enumerate(review.reviewers):
        officer = officers.get(cert)
        if officer:
            yield from _signatory(record, ("review", "reviewers", i), officer, reviewed, "法制审核")
    for i, ident in enumerate(review.advisers):
        adviser = advisers.get(f"{record.agency}/{ident}")
        if adviser:
            yield from _engagement(record, ("review", "advisers", i), adviser, reviewed)


@dataclass(frozen=True)
class _Signer:
    """What the signatory rules read of an officer, read once per officer rather than once
    for each of the decisions a province's officer signs."""

    name: str
    roles: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    status: object
    since: dt.date | None

    @classmethod
    def of(cls, officer: Record) -> _Signer:
        name = f"{officer.get('name')}（{officer.key}）"
        start, end = officer.date("valid_from"), officer.date("valid_until")
        status, since = officer.get("status"), officer.date("status_since")
        return cls(name, Officer(officer).roles, start, end, status, since)


def _signatory(
    record: Record, where: JsonPath, officer: _Signer, day: dt.date, role: str
) -> Iterator[Finding]:
    name = officer.name
    if role not in officer.roles:
        rule = "officer.role" if role == "执法" else "review.reviewer-role"
        yield finding_at(
            record, where, rule, f"{name} 没有“{role}”角色：请核对人员，或在其记录的 roles 中补充"
        )
    start, end = officer.start, officer.end
    if not covers(start, end, day):
        yield finding_at(
            record,
            where,
            "officer.valid",
            f"{name} 的执法证有效期为 {start} 至 {end}，{day} 不在有效期内",
        )
    status, since = officer.status, officer.since
    if status != "在岗" and (since is None or since <= day):
        fix = "" if since else f"；如其在 {day} 之后才{status}，请在人员记录中填写 status_since"
        yield finding_at(
            record, where, "officer.valid", f"{name} 状态为“{status}”，{day} 不能执法{fix}"
        )


def _engagement(
    record: Record, where: JsonPath, adviser: Record, day: dt.date
) -> Iterator[Finding]:
    start, end = adviser.date("valid_from"), adviser.date("valid_until")
    if not covers(start, end, day):
        name = f"{adviser.get('name')}（{adviser.get('kind')}，{adviser.place.id}）"
        yield finding_at(
            record,
            where,
            "review.adviser-engagement",
            f"{name}的聘任期为 {start} 至 {end}，审核日期 {day} 不在聘任期内："
            f"请核对审核日期；如已续聘，请在 {adviser.path} 中更新聘任期",
        )


def late_review(record: Record) -> tuple[dt.date, dt.date] | None:
    """(decided, reviewed) when a decision's legal review is dated after the decision itself.
    The validator warns about it and `gongshi report` lists it: one condition for both."""
    decided, reviewed = record.date("decided_on"), record.date("review", "reviewed_on")
    return (decided, reviewed) if decided and reviewed and reviewed > decided else None


def failed_review(record: Record) -> Review | None:
    """A decision's legal review when its opinion is one that does not pass (不同意, 不通过).
    The validator warns about it and `gongshi report` lists it: one condition for both."""
    review = Decision(record).review
    return review if review and review.opinion and not review.passed else None


def legal_review(corpus: Corpus) -> Iterator[Finding]:
    """A major decision's review passed and came first; a late one is true but non-compliant."""
    for record in corpus.subjects(Kind.DECISION):
        if not record.get("review"):
            continue
        late = late_review(record)
        if late:
            decided, reviewed = late
            yield finding_at(
                record,
                ("review", "reviewed_on"),
                "review.after-decision",
                f"法制审核日期 {reviewed} 晚于决定日期 {decided}：重大执法决定应先审核后决定",
                warn=True,
            )
        failed = failed_review(record)
        if failed:
            yield finding_at(
                record,
                ("review", "opinion"),
                "review.opinion",
                f"法制审核意见为“{failed.opinion}”：未通过审核不得作出重大执法决定",
                warn=True,
            )


CORPUS_RULES: tuple[CorpusRule, ...] = (
    required_records,
    unique_doc_no,
    officer_certificates,
    references_exist,
    decision_signatories,
    legal_review,
    catalogue_thresholds,
    entrustment_rules,
    discretion_levels,
    credit_repair,
    zero_enforcement_rules,
    certificate_privacy,
    masked_party_names,
)


def corpus_findings(corpus: Corpus) -> list[Finding]:
    """Every rule's findings, in rule order. Each rule judges every record in scope: when
    there are many, the rules run side by side in forked workers, a rule a task (4.2 s in one
    process at 100,000 decisions, 2.9 s in two). A scoped check (`validate --changed-since`)
    judges a few and stays here: forking gained it nothing."""

    def run(start: int, stop: int) -> list[list[Finding]]:
        return [list(rule(corpus)) for rule in CORPUS_RULES[start:stop]]

    size = len(corpus.records) if corpus.scope is None else len(corpus.scope)
    found = imap_forked(
        run,
        len(CORPUS_RULES),
        minimum=LIGHT_RECORDS * len(CORPUS_RULES),
        most=size,
        weights=[size] * len(CORPUS_RULES),
    )
    return [finding for findings in found for finding in findings]
