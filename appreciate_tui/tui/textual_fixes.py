"""Where appreciate works around a fault in Textual itself (the version is pinned: pyproject.toml),
each with the upstream report, to be removed when a release fixes it. A fault in a widget that
appreciate subclasses anyway is mended in the subclass instead (the footer's keys:
widgets/key_footer.py).

Applied by each app (the facilitator's and the room's) as it is made, before anything is drawn.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache  # not exported by Textual
from textual.color import Color
from textual.style import Style

_inner_outer_of_any = StylesCache.get_inner_outer.__wrapped__


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return _inner_outer_of_any(StylesCache, base_background, background)


def _get_inner_outer(
    self: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    """The two backgrounds a widget's lines are drawn on, cached on the colours alone."""
    return _inner_outer(base_background, background)


def apply() -> None:  # the same each time: applying it twice changes nothing
    """Textual caches `StylesCache.get_inner_outer` (two colours in, two styles out) with an
    `lru_cache` on the method, so each entry's key holds the widget's whole StylesCache, and with
    it every line the widget last drew: the last 1,024 of them stayed alive after their widgets
    had gone, about 110,000 objects once some fifteen records had been opened and closed, each
    one scanned again by every full garbage collection. Cached on the colours alone, nothing is
    kept but two styles per pair of colours.
    https://github.com/Textualize/textual/issues/6665
    """
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign, assignment]
