"""Export a conversation from the review or the wrap-up (`x`, or the palette): what the command
line's `appreciate export` makes, made and recorded the same way (`export.export_to_file`).

The facilitator chooses the format (the learning example as Markdown, a web page or a Word file;
actions or notes as CSV; the bundle for another appreciate, plain or sealed with a passphrase;
the question sheet), redacted or not, who it is for and why, and where the file goes (offered: the
private exports folder, under the name the command line gives it). The file is written 0600 and
never over another file unless the facilitator says so; the share is recorded, so the review's
Shared tab and `appreciate shares` list it. A Word file uses the partnership's template remembered
in the settings, its warning shown. Anything that stops the export (a folder that is not there or
not writable, a full disk, a window that can change nothing) is said in the dialog, which keeps
everything typed, so nothing is lost: correct it and export again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Select, Static

from appreciate_tui import paths
from appreciate_tui.export import ExportRequest
from appreciate_tui.text import clean_line, one_line, printable
from appreciate_tui.tui.dialogs.base import StoreDialog
from appreciate_tui.tui.keys import with_keys
from appreciate_tui.tui.widgets.text_fields import TextInput

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.tui.app import AppreciateApp

SEALED = "sealed"
FEEDBACK_FORM = "feedback-"
"""The blank feedback form (reports/feedback_form.py): written, never recorded as a share."""
FORMATS: list[tuple[str, str]] = [
    ("Learning example: web page (.html)", "html"),
    ("Learning example: Word (.docx)", "docx"),
    ("Learning example: Markdown (.md)", "md"),
    ("Actions: spreadsheet (.csv)", "csv-actions"),
    ("Notes: spreadsheet (.csv)", "csv-notes"),
    ("Question sheet: web page (.html)", "questions-html"),
    ("Question sheet: Markdown (.md)", "questions-md"),
    ("Question sheet: plain text (.txt)", "questions-txt"),
    ("Feedback form to print: Word (.docx)", "feedback-docx"),
    ("Feedback form to print: web page (.html)", "feedback-html"),
    ("Feedback form to print: Markdown (.md)", "feedback-md"),
    ("Bundle for another appreciate (.json)", "json"),
    ("Sealed bundle, with a passphrase (.json.enc)", SEALED),
]
"""What can be exported, as offered, and the choice's key (`request_for` makes it a request)."""

REDACTION_REMINDER = (
    "Redacted: patterns do not catch every name, address or number; read it before you share it."
)


def request_for(choice: str, *, redact: bool, template: str = "") -> ExportRequest:
    """The export a choice of `FORMATS` asks for."""
    if choice == SEALED:
        return ExportRequest("json", redact=redact, encrypt=True)
    kind, _, detail = choice.partition("-")
    if kind == "csv":
        return ExportRequest("csv", redact=redact, what=detail)
    if kind == "questions":
        return ExportRequest("questions", redact=redact, questions_format=detail)
    return ExportRequest(kind, redact=redact, template=template if kind == "docx" else "")


@dataclass(frozen=True)
class Exported:
    """What the dialog wrote: the file, and whether it was redacted."""

    path: Path
    redacted: bool


@dataclass(frozen=True)
class WordTemplateChoice:
    """The remembered Word template: its source ('' for none, or none usable) and what to say."""

    source: str = ""
    said: str = ""


def remembered_template() -> WordTemplateChoice:
    """The Word template remembered in the settings, checked as the command line checks it."""
    from appreciate_tui.settings import Settings

    remembered = Settings.load().docx_template
    if not remembered:
        return WordTemplateChoice()
    given = Path(remembered).expanduser()
    shown = one_line(str(given))
    if not given.is_file():
        return WordTemplateChoice(
            said=f"The remembered Word template {shown} is not there: the report's own styles "
            "are used.")
    from appreciate_tui.reports.word_template import TemplateRefused, load

    try:
        loaded = load(given)
    except TemplateRefused as exc:
        return WordTemplateChoice(said=f"{one_line(str(exc))}: the report's own styles are used.")
    said = f"In the Word template {shown}."
    if loaded.warning:
        said += f" {one_line(loaded.warning)}"
    return WordTemplateChoice(loaded.source, said)


class ExportScreen(StoreDialog[Exported | None]):
    DEFAULT_CSS = """
    ExportScreen > #export { width: 95%; max-width: 96; height: auto; max-height: 100%; }
    ExportScreen #export .dialog-title { padding-bottom: 0; }
    ExportScreen #export-fields {
        grid-size: 2; grid-columns: 12 1fr; grid-rows: 1; height: auto;
    }
    ExportScreen .form-label { color: $text-muted; text-style: bold; }
    ExportScreen .sealed-only { display: none; }
    ExportScreen.-sealed .sealed-only { display: block; }
    ExportScreen #export-note { color: $text-muted; height: auto; margin-top: 1; }
    ExportScreen #export-problem { color: $error; text-style: bold; height: auto; margin-top: 1; }
    ExportScreen #export-note.-empty, ExportScreen #export-problem.-empty { display: none; }
    ExportScreen #export-buttons { height: auto; align-horizontal: right; }
    ExportScreen Button { margin-left: 2; }
    """
    HELP = "review.md#Export"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", tooltip="Close without exporting",
                id="export.cancel"),
        Binding("ctrl+s", "export", "Export", tooltip="Write the file and record the share",
                id="export.export"),
    ]

    def __init__(self, conversation_id: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self._offered = ""
        """The file name last offered: the path field follows the choices until it is edited."""
        self._template = WordTemplateChoice()

    def compose(self) -> ComposeResult:
        title = self.store.get_conversation(self.conversation_id).title
        with Vertical(id="export", classes="dialog"):
            yield Static(f"Export “{one_line(printable(title), 60)}”", classes="dialog-title",
                         markup=False)
            with Grid(id="export-fields"):
                yield Static("Format", classes="form-label")
                yield Select(FORMATS, value="html", allow_blank=False, compact=True,
                             id="export-format")
                yield Static("Redacted", classes="form-label")
                yield Checkbox("names become pseudonyms or roles; contact details go",
                               compact=True, id="export-redact")
                yield Static("For", classes="form-label")
                yield TextInput(placeholder="who it goes to, e.g. MASH partners", compact=True,
                                id="export-recipient")
                yield Static("Why", classes="form-label")
                yield TextInput(placeholder="what it is for, e.g. the learning review",
                                compact=True, id="export-purpose")
                yield Static("Passphrase", classes="form-label sealed-only")
                yield TextInput(password=True, compact=True, classes="sealed-only",
                                placeholder="at least 8 characters; needed to import it",
                                id="export-passphrase")
                yield Static("Again", classes="form-label sealed-only")
                yield TextInput(password=True, compact=True, classes="sealed-only",
                                placeholder="the passphrase again", id="export-repeat")
                yield Static("File", classes="form-label")
                yield TextInput(compact=True, id="export-path")
            yield Static(id="export-note", markup=False)
            yield Static(id="export-problem", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button(with_keys("Cancel ({export.cancel})", self.app, self),
                             id="export-cancel")
                yield Button(with_keys("Export ({export.export})", self.app, self),
                             id="export-go", variant="primary")

    def on_mount(self) -> None:
        self._template = remembered_template()
        self._chosen()
        self.query_one("#export-format", Select).focus()

    # ------------------------------------------------------------------ what is chosen

    @property
    def choice(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    @property
    def redact(self) -> bool:
        return self.query_one("#export-redact", Checkbox).value

    @property
    def request(self) -> ExportRequest:
        return request_for(self.choice, redact=self.redact, template=self._template.source)

    def _default_path(self) -> Path:
        from appreciate_tui.reports.files import default_name

        if self.choice.startswith(FEEDBACK_FORM):
            from appreciate_tui.reports import feedback_form

            return paths.exports_dir() / feedback_form.default_name(
                self.store, self.conversation_id, self.choice.removeprefix(FEEDBACK_FORM),
                redact=self.redact)
        request = self.request
        conversation = self.store.get_conversation(self.conversation_id)
        return paths.exports_dir() / default_name(
            conversation.title, conversation.date, conversation.id, request.extension,
            redacted=request.redact, contents=request.contents)

    @on(Select.Changed, "#export-format")
    @on(Checkbox.Changed, "#export-redact")
    def _chosen(self) -> None:
        field = self.query_one("#export-path", Input)
        if not field.value or field.value == self._offered:
            self._offered = _shown(self._default_path())
            field.value = self._offered
            # The name is what tells one export from another: the field shows its end.
            self.call_after_refresh(field.action_end)
        self.set_class(self.choice == SEALED, "-sealed")
        notes = []
        if self.choice == "docx" and self._template.said:
            notes.append(self._template.said)
        if self.choice.startswith(FEEDBACK_FORM):
            notes.append("A blank form for participants to fill in by hand: it names no one, "
                         "so it is not recorded as a share.")
        if self.redact:
            notes.append(REDACTION_REMINDER)
        self._say("#export-note", "\n".join(notes))
        self._problem("")

    def _say(self, where: str, said: str) -> None:
        line = self.query_one(where, Static)
        line.update(said)
        line.set_class(not said, "-empty")

    def _problem(self, said: str) -> None:
        self._say("#export-problem", said)

    # ------------------------------------------------------------------ exporting

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self.action_export()
        else:
            self.dismiss(None)

    def _target(self) -> Path | None:
        """Where to write, said wrong in the dialog if it cannot be."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._problem("Say where to write the file.")
            return None
        path = Path(typed).expanduser()
        if path.is_dir():
            path = path / self._default_path().name
        if path.parent == paths.exports_dir():
            try:
                paths.ensure_private_dir(path.parent)
            except OSError as error:
                self._problem(f"The exports folder could not be made: {_reason(error)}.")
                return None
        return path

    def _passphrase(self) -> str | None:
        from appreciate_tui.exchange.sealed import SealError, check_passphrase

        passphrase = self.query_one("#export-passphrase", Input).value
        if passphrase != self.query_one("#export-repeat", Input).value:
            self._problem("The two passphrases differ: type the same one twice.")
            return None
        try:
            check_passphrase(passphrase)
        except SealError as error:
            self._problem(f"Not exported: {error}.")
            return None
        return passphrase

    def action_export(self) -> None:
        if self.store.read_only:
            self._problem(
                f"Not exported: {one_line(self.store.read_only_reason or 'this window is read-only')}"
                "; every export is recorded in the database, so export from the appreciate "
                "window that can change it.")
            return
        passphrase = self._passphrase() if self.choice == SEALED else None
        if self.choice == SEALED and passphrase is None:
            return
        path = self._target()
        if path is None:
            return
        if path.exists():
            from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

            def answered(replace: bool | None) -> None:
                if replace:
                    self._write(path, passphrase, replace=True)

            self.app.push_screen(ConfirmScreen(
                "Replace the file?",
                f"{printable(str(path))} is already there. Replace it with this export, or "
                "cancel and give another name?", yes="Replace it"), answered)
            return
        self._write(path, passphrase, replace=False)

    def _write(self, path: Path, passphrase: str | None, *, replace: bool) -> None:
        from appreciate_tui.exchange.sealed import SealError
        from appreciate_tui.paths import FileExists
        from appreciate_tui.export import export_to_file
        from appreciate_tui.store import StoreError

        form = self.choice.removeprefix(FEEDBACK_FORM) if self.choice.startswith(
            FEEDBACK_FORM) else None
        request = None if form else self.request
        recipient = clean_line(self.query_one("#export-recipient", Input).value)
        purpose = clean_line(self.query_one("#export-purpose", Input).value)
        existed = path.exists()
        try:
            if request is None:
                from appreciate_tui.reports.feedback_form import write_form

                written = write_form(self.store, self.conversation_id, str(form), path,
                                     force=replace, redact=self.redact)
            else:
                written = export_to_file(self.store, self.conversation_id, request, path,
                                         force=replace, recipient=recipient, purpose=purpose,
                                         passphrase=passphrase)
        except FileExists:
            self._problem(f"{printable(str(path))} appeared meanwhile: nothing was written. "
                          "Give another name, or export again to be asked to replace it.")
            return
        except SealError as error:
            self._problem(f"Not exported: {error}.")
            return
        except OSError as error:
            import errno

            then = ("free some space" if error.errno == errno.ENOSPC
                    else "choose another folder")
            self._problem(f"Not exported: {printable(str(path))}: {_reason(error)}. Nothing was "
                          f"written; {then} and export again.")
            return
        except StoreError as error:
            reason = one_line(str(error))
            if not replace and not (not existed and path.exists()):
                self._problem(f"Not exported: {reason}.")  # before anything was written
                return
            # The file was written, but the share could not be recorded: an export that no
            # record knows of is not left behind (one that replaced a file cannot be undone).
            if not existed:
                path.unlink(missing_ok=True)
            kept = "the file was replaced" if existed else "so the file was not kept"
            self._problem(f"Not exported: the share could not be recorded ({reason}), {kept}.")
            return
        self.dismiss(Exported(written, self.redact))


def _shown(path: Path) -> str:
    """A path as offered in the field: `~/…` under the home folder (it is typed back that way)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _reason(error: OSError) -> str:
    """Why a file could not be written, in words."""
    import errno

    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "you cannot write in that folder"
    if error.errno == errno.ENOENT:
        return "there is no such folder"
    return one_line(error.strerror or str(error))


def said_when_exported(exported: Exported) -> str:
    """The notification once a file is written: where it is."""
    said = f"Exported, readable by you only: {printable(str(exported.path))}"
    if exported.redacted:
        said += f". {REDACTION_REMINDER}"
    return said
