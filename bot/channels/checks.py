"""What every channel checks before the assistant sees a request: shape, size, depth and encoding.

A request that fails a check gets a 4xx with a reason the client's developer can act on, and never
reaches the NLU, the tracker store or a log. Texts must be encodable as UTF-8: JSON can carry a
lone surrogate ("\\ud800"), which no database can store, and one such id once stopped the server.
Ids must also be free of control characters (PostgreSQL refuses NUL outright).
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

from sanic.exceptions import InvalidUsage
from sanic.request import Request

# Control characters have no place in what a customer types (tab and line breaks excepted), and
# PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_TYPES = ("application/json",)
FORM_TYPE = "application/x-www-form-urlencoded"


class RequestProblem(ValueError):
    """What is wrong with a request, in words for the client's developer, and the status to send."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def json_object(request: Request, example: str) -> Dict[str, Any]:
    """The body as a JSON object; 415 for another content type, 400 for anything but an object.

    Refusing `text/plain` matters: a browser sends it cross-site without asking, so accepting it
    would let any web page post into a customer's conversation.
    """
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in _JSON_TYPES:
        raise RequestProblem(f'send the body as JSON, with "Content-Type: application/json" (got {content_type or "none"!r})', 415)
    try:
        body = request.json
    except InvalidUsage:
        raise RequestProblem("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise RequestProblem(f"the body must be a JSON object like {example}")
    return body


def url_encoded_form(request: Request) -> Dict[str, str]:
    """A URL-encoded form (a telephony provider's webhook), the first value of each field; 415 for
    any other content type, since a `text/plain` or multipart body is just as easy to forge."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise RequestProblem(f'send a form, with "Content-Type: {FORM_TYPE}" (got {content_type or "none"!r})', 415)
    return {name: values[0] for name, values in (request.form or {}).items()}


def checked_text(name: str, value: Any, max_characters: int, *, required: bool = True) -> Optional[str]:
    """`value` as a text the assistant can read and the database can store, or a RequestProblem.

    Control characters (tab and line breaks excepted) are dropped rather than refused: they are
    never what a customer meant, and a customer whose keyboard sent one still deserves an answer.
    """
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise RequestProblem(f'"{name}" is required and must be a string' if required else f'"{name}" must be a string')
    if len(value) > max_characters:
        raise RequestProblem(f'"{name}" is longer than {max_characters:,} characters; please send it in parts', 413)
    problem = encoding_problem(value)
    if problem:
        raise RequestProblem(f'"{name}" {problem}')
    return _CONTROL.sub("", value)


def checked_identifier(name: str, value: Any, max_characters: int = 128) -> str:
    """A client's name for something (a conversation, a message): a short, printable, encodable string."""
    if not isinstance(value, str) or not value.strip():
        raise RequestProblem(f'"{name}" is required: a non-empty string')
    if len(value) > max_characters:
        raise RequestProblem(f'"{name}" is longer than {max_characters} characters')
    problem = encoding_problem(value) or ("holds a control character" if _CONTROL.search(value) or any(c in value for c in "\t\n\r") else None)
    if problem:
        raise RequestProblem(f'"{name}" {problem}')
    return value


def checked_metadata(value: Any, max_bytes: int, max_depth: int) -> Optional[Dict[str, Any]]:
    """A message's metadata: a JSON object, small and shallow, every key and string encodable."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RequestProblem('"metadata", when given, must be a JSON object')
    _check_nested(value, max_depth, "metadata")
    size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    if size > max_bytes:
        raise RequestProblem(f'"metadata" is {size:,} bytes; at most {max_bytes:,} are accepted', 413)
    return value


def encoding_problem(text: str) -> Optional[str]:
    """Why `text` cannot be stored or hashed as it is (a lone surrogate), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (it holds a lone surrogate such as \\ud800)"
    return None


def _check_nested(value: Any, depth_left: int, where: str) -> None:
    if isinstance(value, dict):
        if depth_left <= 0:
            raise RequestProblem(f'"{where}" is nested too deeply')
        for key, item in value.items():
            problem = encoding_problem(key)
            if problem:
                raise RequestProblem(f'a key in "{where}" {problem}')
            _check_nested(item, depth_left - 1, where)
    elif isinstance(value, list):
        if depth_left <= 0:
            raise RequestProblem(f'"{where}" is nested too deeply')
        for item in value:
            _check_nested(item, depth_left - 1, where)
    elif isinstance(value, str):
        problem = encoding_problem(value)
        if problem:
            raise RequestProblem(f'a value in "{where}" {problem}')
