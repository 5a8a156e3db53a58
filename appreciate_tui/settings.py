"""The facilitator's preferences, remembered between runs in `paths.settings_path()` as JSON.

Plain Python on purpose: the headless commands may read settings without paying for Textual. A
missing, unreadable or hand-broken file gives the defaults, because a preference must never stop
someone opening their conversations in a meeting. A field with the wrong type falls back alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from appreciate_tui import paths

DEFAULT_THEME = "appreciate"


@dataclass
class Settings:
    theme: str = DEFAULT_THEME
    """The name of the colour theme last chosen."""

    room_theme: str = ""
    """The colour theme last chosen in the view for the room (`appreciate present`); '' for
    `theme`. Kept apart because a projector often needs the light theme while the facilitator's
    own screen keeps theirs."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. {"app.help": "f1,f10"}, for terminals that swallow a key. The ids
    (`room.what`) are listed in the README's key map; the app reports one it does not know."""

    agencies: list[str] = field(default_factory=list)
    """Agencies the facilitator added to the defaults (a youth justice team, say), offered when
    planning every later conversation."""

    retention_months: int = 24
    """How long a conversation is kept after it took place (or ended, if later) before it is due
    for erasure: `appreciate purge` and the retention screen. The organisation's retention
    schedule decides; 24 months is only a starting point."""

    docx_template: str = ""
    """The partnership's own Word template (a .docx path; '' for none): Word exports use its
    styles, page, header, footer and logo whenever the file is there (`export --format docx`,
    unless --no-template)."""

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or paths.settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        for spec in fields(cls):
            value = raw.get(spec.name)
            if _fits(value, getattr(settings, spec.name)):
                setattr(settings, spec.name, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        """Write atomically with mode 0600 in a 0700 folder (`paths.write_private`)."""
        path = path or paths.settings_path()
        paths.ensure_private_dir(path.parent)
        payload = json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"
        paths.write_private(path, payload, replace=True)


def _fits(value: object, default: object) -> bool:
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if isinstance(default, dict):
        return isinstance(value, dict) and all(
            isinstance(key, str) and isinstance(item, str) for key, item in value.items()
        )
    return isinstance(value, type(default))
