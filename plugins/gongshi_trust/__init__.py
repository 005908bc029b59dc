"""Trust in a published site: SHA256SUMS, a signed statement beside it, and their verification.

Light on import: the settings registry reads ``config.TRUST_DEFAULTS`` without loading Pelican
or cryptography; Pelican calls :func:`register`, which loads the plugin.
"""

from .config import MANIFEST, PUBLIC_KEY, SIGNATURE, STATEMENT, TRUST_DEFAULTS, TrustError


def register() -> None:
    from .plugin import register as connect

    connect()


__all__ = [
    "MANIFEST",
    "PUBLIC_KEY",
    "SIGNATURE",
    "STATEMENT",
    "TRUST_DEFAULTS",
    "TrustError",
    "register",
]
