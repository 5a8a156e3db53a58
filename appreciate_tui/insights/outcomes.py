"""The partnership's outcomes framework: the areas insights report by (DESIGN.md section 9).

A TOML list of `[[areas]]` (`id`, `title`, optional `description`). The user's own
`outcomes.toml` in the data folder is used when it is there; otherwise the one shipped in
`data/outcomes.toml`. Links in the database name an area by its id, so rewording a title keeps
them; a link to an id no longer in the file is still reported, under its id.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from appreciate_tui import paths
from appreciate_tui.text import clean_line

AREA_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class OutcomesError(Exception):
    """An outcomes file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class OutcomeArea:
    id: str
    title: str
    description: str = ""


def user_outcomes_path() -> Path:
    return paths.data_dir() / "outcomes.toml"


def shipped_outcomes_path() -> Path:
    return paths.shipped_banks_dir().parent / "outcomes.toml"


def outcomes_path() -> Path:
    """The file in use: the user's own when there is one."""
    mine = user_outcomes_path()
    return mine if mine.is_file() else shipped_outcomes_path()


def load_outcomes(path: Path | None = None) -> list[OutcomeArea]:
    """The outcome areas, in the file's order; `OutcomesError` says what is wrong with it."""
    path = path or outcomes_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OutcomesError(f"{path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OutcomesError(f"{path}: {exc}") from None
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas:
        raise OutcomesError(f"{path}: there are no [[areas]] in it")
    found: list[OutcomeArea] = []
    for number, area in enumerate(areas, start=1):
        if not isinstance(area, dict):
            raise OutcomesError(f"{path}: area {number} is not a table")
        unknown = set(area) - {"id", "title", "description"}
        if unknown:
            raise OutcomesError(f"{path}: area {number} has an unknown key {sorted(unknown)[0]!r}")
        area_id, title = area.get("id"), area.get("title")
        if not isinstance(area_id, str) or not AREA_ID.fullmatch(area_id):
            raise OutcomesError(
                f"{path}: area {number} needs an id of lower-case letters, digits and hyphens"
            )
        if not isinstance(title, str) or not clean_line(title):
            raise OutcomesError(f"{path}: area {number} ({area_id}) needs a title")
        description = area.get("description", "")
        if not isinstance(description, str):
            raise OutcomesError(f"{path}: the description of {area_id} is not text")
        if any(existing.id == area_id for existing in found):
            raise OutcomesError(f"{path}: the id {area_id!r} is used twice")
        found.append(OutcomeArea(area_id, clean_line(title), clean_line(description)))
    return found


def load_outcomes_or_default() -> tuple[list[OutcomeArea], str | None]:
    """The areas to use and, when the user's file is broken, why the shipped ones are used."""
    try:
        return load_outcomes(), None
    except OutcomesError as exc:
        return load_outcomes(shipped_outcomes_path()), str(exc)
