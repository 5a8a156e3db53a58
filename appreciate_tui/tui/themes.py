"""Colour themes: `textual.theme.Theme` objects read from TOML files.

The shipped themes (`paths.shipped_themes_dir()`) come first, in the order a facilitator is most
likely to want them; the user's own (`paths.user_themes_dir()`) follow and may replace a shipped one
by using its name. A file that cannot be read is reported, never fatal: `load_themes` collects every
problem so the app can say so once and carry on with the default.

Besides Textual's colours each theme carries the product's own variables, used in every `.tcss`:
`$stance-strength` … `$stance-note` (one per `Stance`) and `$phase-define` … `$phase-deliver`
(one per `Phase`). A user theme that leaves some out gets them from its own palette, so a stance
is always coloured and the CSS always parses.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from appreciate_tui import paths
from appreciate_tui.domain import Phase, Stance
from appreciate_tui.settings import DEFAULT_THEME

if TYPE_CHECKING:
    from textual.app import App

SHIPPED_ORDER = ("appreciate", "appreciate-light", "appreciate-high-contrast")

STANCE_VARIABLES = {stance: f"stance-{stance.value}" for stance in Stance}
PHASE_VARIABLES = {phase: f"phase-{phase.value}" for phase in Phase}

# Where a theme without its own stance or phase colours borrows them from.
_BORROWED = {
    STANCE_VARIABLES[Stance.STRENGTH]: "success",
    STANCE_VARIABLES[Stance.CONCERN]: "warning",
    STANCE_VARIABLES[Stance.DREAM]: "accent",
    STANCE_VARIABLES[Stance.IDEA]: "secondary",
    STANCE_VARIABLES[Stance.ACTION]: "primary",
    STANCE_VARIABLES[Stance.QUOTE]: "accent",
    STANCE_VARIABLES[Stance.NOTE]: "foreground",
    PHASE_VARIABLES[Phase.DEFINE]: "secondary",
    PHASE_VARIABLES[Phase.DISCOVER]: "success",
    PHASE_VARIABLES[Phase.DREAM]: "accent",
    PHASE_VARIABLES[Phase.DESIGN]: "primary",
    PHASE_VARIABLES[Phase.DELIVER]: "warning",
}

_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
            "boost", "success", "warning", "error")
_NUMBERS = ("luminosity_spread", "text_alpha")
_FLAGS = ("dark", "ansi")
_KNOWN = {spec.name for spec in fields(Theme)}


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


@dataclass
class ThemeLoad:
    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [theme.name for theme in self.themes]


def load_themes(shipped: Path | None = None, user: Path | None = None) -> ThemeLoad:
    """Every usable theme, shipped first, and one message per file that could not be used."""
    result = ThemeLoad()
    by_name: dict[str, Theme] = {}
    for path in _theme_files(shipped or paths.shipped_themes_dir(), shipped=True) + _theme_files(
        user or paths.user_themes_dir(), shipped=False
    ):
        try:
            theme = read_theme(path)
        except ThemeFileError as error:
            result.errors.append(str(error))
            continue
        by_name[theme.name] = theme
    result.themes = list(by_name.values())
    return result


def read_theme(path: Path) -> Theme:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path.name}: cannot be read ({error.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"{path.name}: {error}") from None
    problem = _problem(data)
    if problem:
        raise ThemeFileError(f"{path.name}: {problem}")
    theme = Theme(**data)
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError) as error:
        raise ThemeFileError(f"{path.name}: {error}") from None
    return with_product_variables(theme)


def with_product_variables(theme: Theme) -> Theme:
    """The theme, with any stance or phase colour it lacks borrowed from its own palette."""
    missing = [name for name in _BORROWED if name not in theme.variables]
    if not missing:
        return theme
    palette = theme.to_color_system().generate()
    theme.variables = {**{name: palette[_BORROWED[name]] for name in missing}, **theme.variables}
    return theme


def default_theme_name(load: ThemeLoad) -> str:
    return DEFAULT_THEME if DEFAULT_THEME in load.names else load.names[0]


def install_themes(app: App[Any], wanted: str) -> list[str]:
    """Register every usable theme with `app` and choose `wanted` (the default when it is gone);
    returns what went wrong, for the app to say once it is running."""
    load = load_themes()
    for theme in load.themes:
        app.register_theme(theme)
    problems = list(load.errors)
    if wanted not in load.names:
        problems.append(f"theme {wanted!r} was not found; using {default_theme_name(load)!r}")
        wanted = default_theme_name(load)
    app.theme = wanted
    # Textual's own themes carry none of the stance and phase colours a facilitator reads at a
    # glance; offering them would mean stances that look alike. Users add any theme as TOML.
    for name in BUILTIN_THEMES:
        if name not in load.names:
            app.unregister_theme(name)
    return problems


def next_theme(app: App[Any]) -> None:
    """F2 in any window: the next installed theme, said briefly."""
    names = list(app.available_themes)
    app.theme = names[(names.index(app.theme) + 1) % len(names)]
    app.notify(f"Theme: {app.theme}", timeout=2, markup=False)


def remember_theme(app: App[Any], save: Callable[[], object]) -> None:
    """Save a theme chosen in `app` with `save`; a failure leaves the theme in use and says so."""
    try:
        save()
    except OSError:
        app.notify("The theme is in use but could not be remembered for next time.",
                   severity="warning", markup=False)


def _theme_files(folder: Path, *, shipped: bool) -> list[Path]:
    if not folder.is_dir():
        return []
    found = sorted(folder.glob("*.toml"))
    if shipped:
        rank = {name: index for index, name in enumerate(SHIPPED_ORDER)}
        found.sort(key=lambda path: rank.get(path.stem, len(rank)))
    return found


def _problem(data: dict[str, object]) -> str | None:
    """Why this table is not a theme, in words a person editing the file can act on."""
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        return f"unknown key {unknown[0]!r} (a theme has: {', '.join(sorted(_KNOWN))})"
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return "needs a name, e.g. name = \"my-theme\""
    if "primary" not in data:
        return "needs a primary colour, e.g. primary = \"#5FB3B3\""
    for key in _COLOURS:
        if key in data and not _is_colour(data[key]):
            return f"{key} = {data[key]!r} is not a colour (try \"#5FB3B3\")"
    for key in _NUMBERS:
        if key in data and not isinstance(data[key], int | float):
            return f"{key} must be a number"
    for key in _FLAGS:
        if key in data and not isinstance(data[key], bool):
            return f"{key} must be true or false"
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(value, str) for value in variables.values()
    ):
        return "[variables] must map names to strings, e.g. stance-concern = \"#E5A46B\""
    for name in _BORROWED:
        if name in variables and not _is_colour(variables[name]):
            return f"{name} = {variables[name]!r} is not a colour"
    return None


def _is_colour(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True
