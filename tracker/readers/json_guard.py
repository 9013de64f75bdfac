"""A byte scanner in front of the JSON parsers: nesting depth and string length, checked as bytes arrive.

Why: the parsers build first and let us check after. Python's `json` recurses once per nesting level
(a 100k-deep line is a RecursionError traceback); ijson's yajl backend keeps no depth limit and hands
every event a prefix string as long as the path to it, so a 200 KB file of 100k nested arrays made
`tracker load` grow to 24 GB (the prefixes are quadratic in the depth); and yajl buffers a string
token whole, so a 1 GB string was built in full before the 100,000-character field limit could look
at it. The guard sees every byte before the parser does and keeps three numbers: the depth of open
arrays/objects, the length of the string being read, the length of a bare token (number or word).
Anything over its limit stops the read at once, with memory still at the size of one buffer.

String length is counted in characters from the raw bytes without decoding: every byte that does not
continue a UTF-8 sequence is a character, an escape like `\\n` is one, and `\\uXXXX` counts one half
(a surrogate pair is two of them): a lower bound on the decoded length, so nothing the exact check
after parsing would accept is ever refused here.
"""

from __future__ import annotations

import re
from typing import IO

MAX_JSON_DEPTH = 100  # arrays/objects inside each other; real records nest 3-5 deep
MAX_TOKEN_BYTES = 1024 * 1024  # a number or literal longer than this is no paper field

_OUTSIDE = re.compile(rb'["\[\]{},:]')
_INSIDE = re.compile(rb'["\\]')
_CONTINUATION = bytes(range(0x80, 0xC0))


class JSONLimitError(ValueError):
    """The input goes past a limit; the message is the problem part of a ReaderError."""


class JSONGuard:
    """Feed it the bytes of a JSON text in order; it raises JSONLimitError at the first limit crossed.

    `max_chars=None`: no string limit (a JSON line is already bounded by the reader's line limit).
    """

    def __init__(self, *, max_depth: int = MAX_JSON_DEPTH, max_chars: int | None = None, item_depth: int = 1) -> None:
        self.max_depth = max_depth
        # Which record the bytes belong to, for the message: the elements of the top-level array
        # (item_depth=1), or top-level values one after another (item_depth=0). 1-based.
        self.item_depth = item_depth
        self.item = 1
        self._opened_top = 0
        self.max_units = 2 * max_chars if max_chars is not None else None  # half-characters
        self.max_chars = max_chars
        self.depth = 0
        self.offset = 0  # bytes fed before the current chunk
        self._in_string = False
        self._escape = False
        self._units = 0
        self._run = 0  # bytes since the last structural character, outside strings

    def feed(self, chunk: bytes) -> None:
        i, n = 0, len(chunk)
        try:
            while i < n:
                i = self._string(chunk, i, n) if self._in_string else self._outside(chunk, i, n)
        finally:
            self.offset += n

    def _outside(self, chunk: bytes, i: int, n: int) -> int:
        m = _OUTSIDE.search(chunk, i)
        end = m.start() if m else n
        self._run += end - i
        if self._run > MAX_TOKEN_BYTES:
            raise JSONLimitError(f"a JSON value of over {MAX_TOKEN_BYTES} bytes that is not a string (byte {self.offset + end})")
        if m is None:
            return n
        self._run = 0
        c = chunk[end]
        if c == 0x22:  # "
            self._in_string, self._units = True, 0
        elif c == 0x2C and self.depth == self.item_depth:  # , between records
            self.item += 1
        elif c in (0x5B, 0x7B):  # [ {
            if self.depth == 0 and self.item_depth == 0:
                self._opened_top += 1
                self.item = self._opened_top
            self.depth += 1
            if self.depth > self.max_depth:
                raise JSONLimitError(
                    f"JSON nested deeper than {self.max_depth} arrays/objects (byte {self.offset + end + 1})"
                )
        elif c in (0x5D, 0x7D):  # ] }
            self.depth -= 1
        return end + 1

    def _string(self, chunk: bytes, i: int, n: int) -> int:
        if self._escape:
            self._escape = False
            # \uXXXX: -7 here, +8 for its four hex digits below = one half-character; \n etc.: one character
            self._units += -7 if chunk[i] == 0x75 else 2
            return i + 1
        m = _INSIDE.search(chunk, i)
        end = m.start() if m else n
        if self.max_units is not None:
            self._units += 2 * len(chunk[i:end].translate(None, _CONTINUATION))
            if self._units > self.max_units:
                raise JSONLimitError(
                    f"a JSON string of over {self.max_chars} characters (byte {self.offset + end}): "
                    f"over the {self.max_chars}-character field limit"
                )
        if m is None:
            return n
        if chunk[end] == 0x22:
            self._in_string = False
        else:
            self._escape = True
        return end + 1


class GuardedStream:
    """A binary stream whose bytes pass through a JSONGuard as the parser reads them."""

    def __init__(self, raw: IO[bytes], guard: JSONGuard) -> None:
        self._raw = raw
        self.guard = guard

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.guard.feed(data)
        return data


def check_json_line(text: str) -> None:
    """Raise JSONLimitError when a JSON line nests deeper than MAX_JSON_DEPTH (before json.loads recurses)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return  # cannot be deeper than the number of brackets it opens: the common case, at C speed
    JSONGuard().feed(text.encode("utf-8", "surrogatepass"))
