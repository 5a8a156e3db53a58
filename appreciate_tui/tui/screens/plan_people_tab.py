"""The plan's People tab (F4): who is invited, from which agency, and later whether they came.
An agency typed here that is not among the defaults is remembered for next time (settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.content import Content
from textual.widgets import Static

from appreciate_tui.domain import DEFAULT_AGENCIES, Participant
from appreciate_tui.text import one_line
from appreciate_tui.tui.screens.conversation_tabs import ConversationTabsScreen
from appreciate_tui.tui.widgets.plan_people import PeopleTable

if TYPE_CHECKING:
    from appreciate_tui.store import Store
    from appreciate_tui.tui.dialogs.participant_form import ParticipantDetails


def agency_choices(store: Store, extra: list[str]) -> list[str]:
    """Every agency to offer: the defaults, the ones this database has seen, the user's own."""
    return list(dict.fromkeys([*store.agencies(), *extra]))


class PeopleTab(ConversationTabsScreen):
    """Inviting, editing and taking people off the list (PlanScreen holds this tab)."""

    _people: list[Participant]

    if TYPE_CHECKING:
        def _load(self, *, highlight: str | None = None) -> None: ...

    # ------------------------------------------------------------------ people

    def _agencies(self) -> list[str]:
        return agency_choices(self.store, self.app.settings.agencies)

    def _show_people_summary(self) -> None:
        invited = [p for p in self._people if p.invited]
        came = [p for p in self._people if p.attended]
        agencies = {p.agency for p in invited}
        wanted = [a for a in (*DEFAULT_AGENCIES, *self.app.settings.agencies) if a != "Other"]
        missing = [a for a in dict.fromkeys(wanted) if a not in agencies]
        parts: list[Content | tuple[str, str] | str] = []
        if self._people:
            parts.append((f"{len(invited)} invited from {len(agencies)} "
                          f"agenc{'y' if len(agencies) == 1 else 'ies'}", "bold"))
            if came:
                parts.append(f" · {len(came)} took part")
            if missing:
                parts.append((f"  No one invited yet from {', '.join(missing)}.", "$text-muted"))
        else:
            parts.append(("No one is on the list yet: a invites someone.", "$text-muted"))
        self.query_one("#people-summary", Static).update(Content.assemble(*parts))

    def _person(self, participant_id: str) -> Participant:
        return next(p for p in self._people if p.id == participant_id)

    def _remember_agency(self, agency: str) -> None:
        settings = self.app.settings
        if agency in settings.agencies or agency in DEFAULT_AGENCIES:
            return
        settings.agencies.append(agency)
        try:
            settings.save()
        except OSError:
            self.notify(f"{one_line(agency)} is used here but could not be remembered for "
                        "next time.", severity="warning", markup=False)

    @on(PeopleTable.Add)
    def action_invite(self) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen

        def added(details: ParticipantDetails | None) -> None:
            if details is None:
                return
            person = self.save(lambda: self.store.add_participant(
                self.conversation_id, details.agency, pseudonym=details.pseudonym or None,
                name=details.name, role=details.role, invited=details.invited,
                attended=details.attended, absence_reason=details.absence_reason,
            ), what="The invitation")
            if person is not None:
                if details.new_agency:
                    self._remember_agency(person.agency)
                self._load()
                self.query_one(PeopleTable).highlight(person.id)

        self.app.push_screen(ParticipantFormScreen(self._agencies()), added)

    @on(PeopleTable.Edit)
    def _edit_person(self, event: PeopleTable.Edit) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen

        person = self._person(event.participant_id)

        def edited(details: ParticipantDetails | None) -> None:
            if details is None:
                return
            # An unchanged pseudonym is left to the store, which renames an automatic one
            # ("Police 1") when the agency changes.
            pseudonym = None if details.pseudonym == person.pseudonym else details.pseudonym
            changed = self.save(lambda: self.store.update_participant(
                person.id, pseudonym=pseudonym, name=details.name, agency=details.agency,
                role=details.role, invited=details.invited, attended=details.attended,
                absence_reason=details.absence_reason,
            ), what="The change")
            if changed is not None:
                if details.new_agency:
                    self._remember_agency(changed.agency)
                self._load()

        self.app.push_screen(ParticipantFormScreen(self._agencies(), person), edited)

    @on(PeopleTable.Toggle)
    def _toggle_person(self, event: PeopleTable.Toggle) -> None:
        if not self.writable():
            return
        person = self._person(event.participant_id)
        if event.what == "invited":
            changed = self.save(
                lambda: self.store.update_participant(person.id, invited=not person.invited))
        else:
            changed = self.save(lambda: self.store.set_attended(person.id, not person.attended))
        if changed is not None:
            self._load()

    @on(PeopleTable.Remove)
    def _remove_person(self, event: PeopleTable.Remove) -> None:
        if not self.writable():
            return
        from appreciate_tui.tui.dialogs.confirm import ConfirmScreen

        person = self._person(event.participant_id)

        def confirmed(remove: bool | None) -> None:
            if remove and self._did(lambda: self.store.delete_participant(person.id),
                                    what="The removal"):
                self._load()

        self.app.push_screen(
            ConfirmScreen(f"Take {one_line(person.pseudonym)} off the list?",
                          f"{one_line(person.pseudonym)} ({one_line(person.agency)}) will no "
                          "longer be listed for this conversation.", yes="Take off"),
            confirmed,
        )
