"""Gongshi's search: Chinese segmentation, sharded lunr indexes and the manifest the browser
reads (``output/search/``). Pure Python over the record model: no Pelican import.
"""

from .shards import ShardSettings
from .tokens import normalise, query_tokens, tokens
from .writer import SearchBuildError, write_search_index

__all__ = [
    "SearchBuildError",
    "ShardSettings",
    "normalise",
    "query_tokens",
    "tokens",
    "write_search_index",
]
