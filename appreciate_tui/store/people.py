"""Participants and their pseudonyms: who is invited, who came, and the name notes are tagged
with ("Police 1"). Erasing a person for good is store/erasure.py's."""

from __future__ import annotations

from typing import Any

from appreciate_tui import domain
from appreciate_tui.domain import Participant
from appreciate_tui.store import rows
from appreciate_tui.store.conversations import Conversations
from appreciate_tui.store.core import new_id
from appreciate_tui.text import clean_line

# Pseudonyms are "<agency> <n>"; a long agency name gets a shorter everyday form.
_PSEUDONYM_STEM = {"Children's social care": "Social care"}


class People(Conversations):
    """A conversation's participants."""

    # ---------------------------------------------------------------- participants

    def add_participant(
        self,
        conversation_id: str,
        agency: str,
        *,
        pseudonym: str | None = None,
        name: str = "",
        role: str = "",
        invited: bool = True,
        attended: bool = False,
        absence_reason: str = "",
        id: str | None = None,
    ) -> Participant:
        agency = clean_line(agency) or "Other"
        stamp = domain.utc_now()
        with self.atomic():
            self.get_conversation(conversation_id)
            if not pseudonym:
                pseudonym = self.next_pseudonym(conversation_id, agency)
            row: dict[str, Any] = {
                "id": id or new_id(),
                "conversation_id": conversation_id,
                "pseudonym": clean_line(pseudonym),
                "name": clean_line(name),
                "agency": agency,
                "role": clean_line(role),
                "invited": int(invited),
                "attended": int(attended),
                "absence_reason": clean_line(absence_reason),
                "created_at": stamp,
                "updated_at": stamp,
            }
            self._insert("participants", row)
        return self.get_participant(row["id"])

    def next_pseudonym(self, conversation_id: str, agency: str) -> str:
        """The first automatic pseudonym ("Police 2") nobody in the conversation has yet."""
        stem = _PSEUDONYM_STEM.get(agency, agency)
        taken = {
            row["pseudonym"]
            for row in self.reads.query(
                "SELECT pseudonym FROM participants WHERE conversation_id = ?", [conversation_id]
            )
        }
        number = 1
        while f"{stem} {number}" in taken:
            number += 1
        return f"{stem} {number}"

    def get_participant(self, participant_id: str) -> Participant:
        return rows.participant(self._get_row("participants", participant_id, "participant"))

    def list_participants(self, conversation_id: str) -> list[Participant]:
        return [
            rows.participant(row)
            for row in self.reads.query(
                "SELECT * FROM participants WHERE conversation_id = ? ORDER BY agency, pseudonym",
                [conversation_id],
            )
        ]

    def set_attended(self, participant_id: str, attended: bool) -> Participant:
        with self.atomic():
            self.get_participant(participant_id)
            self._update(
                "participants",
                participant_id,
                {"attended": int(attended), "updated_at": domain.utc_now()},
            )
        return self.get_participant(participant_id)

    # Changing the plan before (and during) the meeting (tui/screens/plan.py). A change that would
    # lose something said in the meeting is refused with a ValueError whose message says what to
    # do instead.

    def update_participant(
        self,
        participant_id: str,
        *,
        pseudonym: str | None = None,
        name: str | None = None,
        agency: str | None = None,
        role: str | None = None,
        invited: bool | None = None,
        attended: bool | None = None,
        absence_reason: str | None = None,
    ) -> Participant:
        """Change a participant. A pseudonym must be unique in the conversation (it is how notes
        are tagged); an automatic one ("Police 1") follows a change of agency; "" makes a new
        one."""
        changes: dict[str, Any] = {}
        for key, value in (("name", name), ("role", role), ("absence_reason", absence_reason)):
            if value is not None:
                changes[key] = clean_line(value)
        for key, flag in (("invited", invited), ("attended", attended)):
            if flag is not None:
                changes[key] = int(flag)
        with self.atomic():
            current = self.get_participant(participant_id)
            cid = current.conversation_id
            if agency is not None:
                changes["agency"] = clean_line(agency) or "Other"
            new_agency = changes.get("agency", current.agency)
            automatic = self._is_automatic_pseudonym(current.pseudonym, current.agency)
            if pseudonym is not None and clean_line(pseudonym):
                wanted = clean_line(pseudonym)
                taken = self._one(
                    "SELECT 1 AS taken FROM participants WHERE conversation_id = ? "
                    "AND lower(pseudonym) = lower(?) AND id != ?",
                    [cid, wanted, participant_id],
                )
                if taken:
                    raise ValueError(f"{wanted} is already someone's pseudonym here")
                changes["pseudonym"] = wanted
            elif pseudonym is not None or (new_agency != current.agency and automatic):
                # Free this participant's own pseudonym first, so "Police 1" can stay "Police 1".
                self._update("participants", participant_id, {"pseudonym": ""})
                changes["pseudonym"] = self.next_pseudonym(cid, new_agency)
            changes["updated_at"] = domain.utc_now()
            self._update("participants", participant_id, changes)
        return self.get_participant(participant_id)

    @staticmethod
    def _is_automatic_pseudonym(pseudonym: str, agency: str) -> bool:
        stem = _PSEUDONYM_STEM.get(agency, agency)
        number = pseudonym.removeprefix(f"{stem} ")
        return number != pseudonym and number.isdigit()

    def delete_participant(self, participant_id: str) -> None:
        """Take someone off the list. Refused once notes or feedback are theirs: mark them not
        attended instead (erasing a person for good is `erase_participant`)."""
        with self.atomic():
            self.get_participant(participant_id)
            said = self._one(
                "SELECT (SELECT count(*) FROM notes WHERE participant_id = :p) "
                "+ (SELECT count(*) FROM feedback WHERE participant_id = :p) AS n",
                {"p": participant_id},
            )
            if said and said["n"]:
                raise ValueError("notes or feedback are theirs; mark them not attended instead")
            self.db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
