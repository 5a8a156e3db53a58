"""The home search finds what the record's own find finds: a phrase in a note, the key learning,
an action, a feedback comment and an absence reason is one match each, saying what it is, and
choosing one opens the record at it."""

from __future__ import annotations

from textual.widgets import Input, Static

from appreciate_tui.reports.model import gather
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.review_document import review_blocks
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.widgets.search_results import record_block
from tests.test_search_record import held
from tests.tui.test_browser import until


def home(app: AppreciateApp) -> HomeScreen:
    assert isinstance(app.screen, HomeScreen)
    return app.screen


async def test_the_home_search_finds_as_much_as_the_records_find(store: Store) -> None:
    ids = held(store)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"short notice")
        results = home(app).results
        await until(pilot, lambda: home(app).results_for == "short notice")
        assert sorted(hit.kind for hit in results.hits) == [
            "absence", "action", "feedback", "key_learning", "note"]
        shown = "\n".join(str(results.get_option_at_index(n).prompt)
                          for n in range(results.option_count))
        for label in ("key learning", "absence", "action", "feedback", "note"):
            assert f"{label}  " in shown
        heading = str(home(app).query_one("#results-heading", Static).render())
        assert heading.startswith("5 matches")

        order = [hit.kind for hit in results.hits]
        await pilot.press("down", *["down"] * order.index("action"))
        detail = str(home(app).query_one("#conversation-detail", Static).render())
        assert "Action · Health" in detail and "A duty rota for short notice" in detail
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.document.current.key == f"action:{ids['action']}"
        assert review.query_one("#find", Input).value == "short notice"
        assert review.document.match_position[1] == len(results.hits), "the same count"


def test_every_kind_has_its_place_in_the_record(store: Store) -> None:
    """What Enter opens the record at, for each kind, is a block the record has."""
    ids = held(store)
    report = gather(store, ids["conversation"])
    keys = {block.key for block in review_blocks(report, {})}
    places = {hit.kind: record_block(hit) for hit in store.search("short notice")}
    assert places == {"key_learning": "learning:text", "absence": f"participant:{ids['away']}",
                      "action": f"action:{ids['action']}",
                      "feedback": f"feedback:{ids['feedback']}", "note": None}
    assert {place for place in places.values() if place} <= keys


async def test_a_search_thread_that_could_not_start_is_replaced_at_the_next_key(
    store: Store, monkeypatch
) -> None:
    """The searching thread could not open its connection (it says why and ends): the next
    keystroke starts another, rather than asking one that is no longer there."""
    from appreciate_tui.store import StoreError

    held(store)
    real = Store.open_reader
    failures = iter([])

    def open_reader(self: Store) -> Store:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(self)

    monkeypatch.setattr(Store, "open_reader", open_reader)
    app = AppreciateApp(store)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the list's own reader has been and gone
        failures = iter([StoreError("the disk is busy")])
        await pilot.press("slash", "s")
        await until(pilot, lambda: bool(told))
        assert "the disk is busy" in told[0]
        await pilot.press(*"hort")
        await until(pilot, lambda: home(app).results_for == "short")
        assert home(app).results.hits
