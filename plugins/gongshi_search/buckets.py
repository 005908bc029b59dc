"""A collection's term buckets written from its documents' postings (shards.py).

A bucket is a lunr index of the postings of its terms (index.py). Writing them is most of the
search index's time in a full build, and every bucket is independent of the others, so with
many buckets to write, worker processes forked from the build write chunks of them
(gongshi_records/forking.py): they inherit the postings and send back only each file's
SHA-256. The files are the same bytes either way.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongshi_records.forking import map_forked

from .index import build_counted
from .state import CollectionFiles

# Below this many buckets to write, forking workers costs more than it saves; buckets per task.
MIN_BUCKETS = 64
BUCKETS_PER_TASK = 8
BODY_FLAG = 1 << 31  # set on a posting's frequency when the term is in the body field


@dataclass
class Bucket:
    """One bucket's postings as three parallel integer arrays (documents in order)."""

    numbers: array[int] = field(default_factory=lambda: array("I"))
    term_ids: array[int] = field(default_factory=lambda: array("I"))
    freqs: array[int] = field(default_factory=lambda: array("I"))


@dataclass
class BucketJob:
    """Everything writing the buckets of one collection needs besides their postings."""

    files: CollectionFiles
    words: list[str]  # by term id
    refs: list[str]  # by document number
    size: int  # documents in the collection: lunr's idf is computed with it


def collect_postings(
    postings: Sequence[tuple[array[int], array[int]]],
    slot: array[int],
    count: int,
) -> list[Bucket]:
    """``count`` buckets' postings from every document's (term ids, frequencies), in document
    order; ``slot`` gives each term id's bucket among them, or -1 (a term not written: common,
    or in a bucket that is not). Integer arrays: with the long texts a portal of 100,000
    decisions has tens of millions of postings."""
    out = [Bucket() for _ in range(count)]
    for number, (term_ids, freqs) in enumerate(postings):
        for term_id, freq in zip(term_ids, freqs, strict=True):
            if (n := slot[term_id]) >= 0:
                bucket = out[n]
                bucket.numbers.append(number)
                bucket.term_ids.append(term_id)
                bucket.freqs.append(freq)
    return out


def write_buckets(job: BucketJob, chosen: list[int], postings: list[Bucket]) -> None:
    """Bucket ``chosen[i]`` written from ``postings[i]``, by worker processes when there are
    many; their SHA-256 recorded in ``job.files``."""

    def write(start: int, stop: int) -> list[tuple[str, str]]:
        return [write_bucket(job, chosen[n], postings[n]) for n in range(start, stop)]

    written = map_forked(write, len(chosen), minimum=MIN_BUCKETS, most=BUCKETS_PER_TASK)
    job.files.written.update(written)


def write_bucket(job: BucketJob, k: int, postings: Bucket) -> tuple[str, str]:
    """Bucket ``k``'s file; returns its name and SHA-256."""
    documents: list[tuple[str, list[tuple[str, int]], list[tuple[str, int]]]] = []
    current = -1
    name: list[tuple[str, int]] = []
    body: list[tuple[str, int]] = []
    words = job.words
    for number, term_id, freq in zip(
        postings.numbers, postings.term_ids, postings.freqs, strict=True
    ):
        if number != current:  # postings come in document order
            current, name, body = number, [], []
            documents.append((job.refs[number], name, body))
        if freq & BODY_FLAG:
            body.append((words[term_id], freq ^ BODY_FLAG))
        else:
            name.append((words[term_id], freq))
    # the bucket's arrays are not needed once its index is built
    postings.numbers, postings.term_ids, postings.freqs = array("I"), array("I"), array("I")
    file_name = f"b{k}.json"
    return file_name, job.files.write_json(file_name, build_counted(documents, job.size))
