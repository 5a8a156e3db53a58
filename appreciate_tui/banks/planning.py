"""Planning a conversation: from a question bank to a prepared conversation, ready to adapt."""

from __future__ import annotations

from appreciate_tui.banks.loader import Bank
from appreciate_tui.domain import Conversation
from appreciate_tui.store import Store


def conversation_from_bank(
    store: Store,
    bank: Bank,
    title: str,
    *,
    topic: str | None = None,
    setting: str = "",
    facilitator: str = "",
    date: str | None = None,
) -> Conversation:
    """Create a planned conversation holding the bank's questions in phase order.

    The questions are copies: editing the plan afterwards never changes the bank, and a bank edited
    later never changes a conversation already planned or held. `bank_id` records where they came
    from. The topic defaults to the bank's own.
    """
    with store.atomic():
        conversation = store.create_conversation(
            title,
            bank.topic if topic is None else topic,
            setting=setting,
            facilitator=facilitator,
            date=date,
            bank_id=bank.id,
        )
        for question in bank.questions_in_phase_order():
            store.add_question(
                conversation.id,
                question.text,
                question.phase,
                prompts=question.prompts,
                scale=question.scale,
            )
    return conversation
