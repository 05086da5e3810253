"""Twilio's list paging: `PageSize`, `Page`, `PageToken`, and the `meta` object of every list answer.

A page token names the position of an item in the list's order (`PT…` for "after it", `PB…` for
"before it"), so following `next_page_url` stays correct while items are created or deleted between
pages, as Twilio's cursor tokens do. Without a token, `Page` alone selects by offset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from .errors import invalid_parameter

DEFAULT_PAGE_SIZE = 50
# The spec says 100 for Conversations; Twilio's other APIs, and clients written for them, use up to 1000.
MAX_PAGE_SIZE = 1000

_T = TypeVar("_T")
Position = tuple[int, ...]


@dataclass(frozen=True)
class PageRequest:
    size: int
    number: int
    token: str | None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PageRequest:
        size = _integer(query, "PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        number = _integer(query, "Page", 0, 0, None)
        token = query.get("PageToken") or None
        if token is not None and _parse_token(token) is None:
            raise invalid_parameter("PageToken", f"{token!r} is not a page token this API issued")
        return cls(size, number, token)


def paginate(
    items: Sequence[_T],
    position: Callable[[_T], Position],
    request: PageRequest,
    *,
    key: str,
    url: str,
    filters: Sequence[tuple[str, str]] = (),
) -> tuple[list[_T], dict[str, Any]]:
    """The requested page of `items` (already in list order, `position` increasing along it) and its `meta`."""
    if request.token is None:
        start = request.number * request.size
        chosen = list(items[start : start + request.size])
        more = len(items) > start + request.size
    else:
        direction, mark = _parse_token(request.token) or ("PT", ())
        if direction == "PT":
            following = [item for item in items if position(item) > mark]
            chosen, more = following[: request.size], len(following) > request.size
        else:
            preceding = [item for item in items if position(item) < mark]
            chosen, more = preceding[-request.size :], True

    def link(number: int, token: str | None) -> str:
        query = [*filters, ("PageSize", str(request.size)), ("Page", str(number))]
        return f"{url}?{urlencode([*query, ('PageToken', token)] if token else query)}"

    previous = None
    if request.number > 0:
        previous = link(request.number - 1, _token("PB", position(chosen[0])) if chosen else None)
    meta = {
        "page": request.number,
        "page_size": request.size,
        "first_page_url": link(0, None),
        "previous_page_url": previous,
        "url": link(request.number, request.token),
        "next_page_url": link(request.number + 1, _token("PT", position(chosen[-1]))) if more and chosen else None,
        "key": key,
    }
    return chosen, meta


def _token(direction: str, mark: Position) -> str:
    return direction + "_".join(str(part) for part in mark)


def _parse_token(token: str) -> tuple[str, Position] | None:
    direction, rest = token[:2], token[2:]
    try:
        mark = tuple(int(part) for part in rest.split("_"))
    except ValueError:
        return None
    return (direction, mark) if direction in ("PT", "PB") else None


def _integer(query: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    text = query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise invalid_parameter(name, f"{text!r} is not an integer") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid_parameter(name, f"{value} is out of range: it must be {bound}")
    return value
