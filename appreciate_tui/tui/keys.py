"""The keys as the facilitator has them: binding ids, the settings' keymap, how a key is named.

Every key shown in a footer has an id, `room.what`: the room is where the key works (a screen:
`home`, `plan`, `facilitate`, `review`, `wrapup`, `insights`, `bin`, `present`, or `app` for the
keys that work everywhere; a dialog, by its module's name: `confirm`, `outcome_picker`; a list
inside a screen: `note`, `questions`, `people`), and `what` is what it does (`facilitate.next`,
`note.stance.concern`). `Settings.keymap` maps an id to other keys ({"app.help": "f1,f10"}), for a
terminal that swallows a key; Textual applies it to every binding with that id (`App.set_keymap`),
and the footer, the palette's hints (`with_keys`) and the dialogs' hint lines (`key_hint`) then
name the new key.

An id in the settings that names no key is reported when the app starts, never a crash: the
keymap is a hand-edited file and a typo must not stop a meeting.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.dom import DOMNode
from textual.keys import format_key

if TYPE_CHECKING:
    from textual.app import App

ARROWS = {"up": "↑", "down": "↓", "left": "←", "right": "→"}
NAMED = {"escape", "enter", "delete", "space", "tab", "home", "end", "backspace", "insert"}
SLOT = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)(\*?)\}")
"""`{note.undo}` in a hint: the key of the binding `note.undo`; `{note.undo*}`: all its keys."""
PACKAGES = ("screens", "dialogs", "widgets")
"""The folders of `tui/` whose classes hold bindings (with the app, imported already)."""


def key_name(key: str) -> str:
    """A key as the hints write it: `F6`, `Escape`, `ctrl+r`, `shift+↑`, `/`, `*`, `S`."""
    *modifiers, last = key.split("+")
    if last in ARROWS:
        name = ARROWS[last]
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        name = last.upper()
    elif last in NAMED:
        name = last.capitalize()
    elif last == "pageup" or last == "pagedown":
        name = f"Page {last[4:]}"
    else:
        name = format_key(last)
    return "+".join([*modifiers, name])


def binding_keys(owner: DOMNode | type[DOMNode], binding_id: str,
                 keymap: Mapping[str, str]) -> list[str]:
    """The keys of the binding `binding_id` of `owner` (a screen, dialog or widget, or its class):
    the keymap's when it remaps the id, else the binding's own, in the order they are written."""
    if remapped := keymap.get(binding_id):
        return [key.strip() for key in remapped.split(",") if key.strip()]
    cls = owner if isinstance(owner, type) else type(owner)
    bindings = cls._merged_bindings  # the class's bindings with its bases', as Textual merges them
    keys = [] if bindings is None else [
        key for key, found in bindings.key_to_bindings.items()
        if any(binding.id == binding_id for binding in found)
    ]
    if not keys:
        raise LookupError(f"{cls.__name__} has no binding {binding_id!r}")
    return keys


def with_keys(text: str, app: App[Any], *owners: DOMNode | type[DOMNode]) -> str:
    """`text` with each `{binding.id}` in it written as the key that binding has now: the first of
    its keys, or every one joined by "or" for `{binding.id*}`. The binding is the first of
    `owners` (screens, widgets, or their classes) to have it; the keymap is `app`'s."""
    keymap = app_keymap(app)

    def named(slot: re.Match[str]) -> str:
        binding_id, every = slot.group(1), slot.group(2)
        for owner in owners:
            try:
                keys = [key_name(key) for key in binding_keys(owner, binding_id, keymap)]
            except LookupError:
                continue
            return " or ".join(keys) if every else keys[0]
        raise LookupError(f"no binding {binding_id!r} in {owners}")

    return SLOT.sub(named, text)


def key_hint(
    app: App[Any], owner: DOMNode | type[DOMNode], *steps: tuple[str, str], gap: str = "   "
) -> Content:
    """A dialog's hint line, "Enter save   Tab next field   Escape cancel": each key in bold, then
    what it does. A key written as a binding id in braces (`{action_form.cancel}`) is named as that
    binding of `owner` has it now, so a key remapped in the settings' keymap is named as remapped;
    a key a widget handles itself (Enter in a field, Tab, Space in a list) is written as it is."""
    parts: list[str | tuple[str, str]] = []
    for key, what in steps:
        if parts:
            parts.append(gap)
        parts.append((with_keys(key, app, owner), "bold"))
        if what:
            parts.append(f" {what}")
    return Content.assemble(*parts)


def app_keymap(app: App[Any]) -> Mapping[str, str]:
    # Textual keeps the keymap it applies (set by `App.set_keymap`, keys in their long form)
    # without a public reader.
    return app._keymap


def binding_ids() -> set[str]:
    """Every binding id in the app (its screens, dialogs and widgets are imported for it)."""
    for folder in PACKAGES:
        package = importlib.import_module(f"appreciate_tui.tui.{folder}")
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    importlib.import_module("appreciate_tui.tui.app")
    importlib.import_module("appreciate_tui.tui.present")  # the view for the room shares them
    ids: set[str] = set()
    for cls in _subclasses(DOMNode):
        bindings = cls._merged_bindings
        if bindings is not None:
            ids.update(binding.id for found in bindings.key_to_bindings.values()
                       for binding in found if binding.id)
    return ids


def unknown_ids(keymap: Iterable[str]) -> list[str]:
    """The ids in a keymap that name no binding, in the order written."""
    known = binding_ids()
    return [binding_id for binding_id in keymap if binding_id not in known]


def use_keymap(app: App[Any], keymap: Mapping[str, str]) -> None:
    """Apply the keymap in settings, then, once the first screen is drawn, say which of its ids
    name no key. An empty keymap (most people's) costs nothing."""
    app.set_keymap(keymap)
    if keymap:
        app.call_after_refresh(_report_unknown, app, list(keymap))


def _report_unknown(app: App[Any], ids: list[str]) -> None:
    unknown = unknown_ids(ids)
    if unknown:
        names = "name" if len(unknown) > 1 else "names"
        app.notify(
            f"{', '.join(unknown)} {names} no key here, so it changes nothing; the rest of the "
            "keymap applies. The README's key map lists every name (like facilitate.next).",
            title="The keymap in the settings", severity="warning", timeout=12, markup=False,
        )


def _subclasses(cls: type[DOMNode]) -> Iterable[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
