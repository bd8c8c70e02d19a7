"""Who may fetch a synthesized answer: signed URLs that expire, for one conversation each.

A telephony provider fetches `<Play>` audio with no customer secret, so the URL itself is the
permission. Before, names were an unkeyed SHA-256 of (voice, rate, text) and served to anyone:
anyone could compute the name of a templated reply and learn whether it had been said to someone
recently. Now the file name is keyed with the server's secret (`Synthesizer`), and every URL
carries `?c=<conversation tag>&e=<expiry>&s=<signature>`, good until the policy deletes the audio.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlencode

# What a signed audio URL's query may hold: a base64url tag and signature, and a Unix time.
URL_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
UNIX_TIME = re.compile(r"[0-9]{1,12}")


def derived_key(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose only, so that a value made for one use is never valid for another."""
    return hmac.new(secret, purpose.encode("utf-8"), hashlib.sha256).digest()


@dataclass(frozen=True)
class AudioLinks:
    """Audio URLs that work for one conversation, until the audio is due to be deleted.

    The query is `c` (a keyed tag of the conversation, so a URL in a log names nobody and cannot
    be checked against a guessed id), `e` (when it expires, Unix seconds) and `s` (the server's
    signature of the file name, `c` and `e`): changing any of them breaks the signature.
    """

    key: bytes

    def query(self, name: str, conversation: str, lifetime_seconds: float, now: float) -> str:
        tag = _base64url(hmac.new(self.key, f"conversation\0{conversation}".encode("utf-8"), hashlib.sha256).digest()[:16])
        expires = str(int(now + lifetime_seconds))
        return urlencode({"c": tag, "e": expires, "s": self._signature(name, tag, expires)})

    def allows(self, name: str, query: Mapping[str, Any], now: float) -> bool:
        """Whether the query is this server's signature of `name` for some conversation, unexpired."""
        tag, expires, signature = (str(query.get(field) or "") for field in ("c", "e", "s"))
        if not (URL_TOKEN.fullmatch(tag) and UNIX_TIME.fullmatch(expires) and URL_TOKEN.fullmatch(signature)):
            return False
        return hmac.compare_digest(signature, self._signature(name, tag, expires)) and now <= int(expires)

    def _signature(self, name: str, tag: str, expires: str) -> str:
        # `name` comes from the URL's path as it was sent: whatever it holds, signing must not fail.
        signed = f"audio\0{name}\0{tag}\0{expires}".encode("utf-8", "surrogatepass")
        return _base64url(hmac.new(self.key, signed, hashlib.sha256).digest())


def _base64url(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
