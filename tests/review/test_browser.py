"""The review page in a real headless Chromium: the reviewers' scenario, escaping, Korean text,
and fifty events reviewed with the keyboard alone.

Skipped where Chromium is missing, except under CI=true, where that is a failure."""

from __future__ import annotations

import time

import pytest

from store import Store
from tests.support.paths import REPO
from tests.support.review import PASSWORD, SCRIPT_EVIDENCE, live_server, review_config, seed

ARTIFACTS = REPO / "test-artifacts"




@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    context.close()


def log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert page.locator("#undo-form").count() == 1, "login failed"


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def glyphs_differ(page, first: str, second: str) -> bool:
    """Two characters drawn in the page's font: identical pixels mean both are missing-glyph boxes."""
    return page.evaluate("""([a, b]) => {
        const font = getComputedStyle(document.querySelector('td')).fontFamily;
        const draw = (ch) => { const c = document.createElement('canvas'); c.width = 40; c.height = 40;
            const g = c.getContext('2d'); g.font = '32px ' + font; g.fillText(ch, 2, 32);
            return Array.from(g.getImageData(0, 0, 40, 40).data).join(','); };
        return draw(a) !== draw(b); }""", [first, second])


def test_review_scenario_in_chromium(page, tmp_path):
    database = seed(tmp_path / "review.db", 8, script_event=True)
    with live_server(database, review_config()) as base:
        page.goto(base + "/")
        first_look(page, base)
        confirmed = int(page.get_attribute("tr.selected", "data-id"))
        with page.expect_navigation():
            page.keyboard.press("c")
        assert "확인했습니다" in page.inner_text(".flash")
        with Store(database) as store:
            ids = [e["id"] for e in store.events(review_state="new")]
        corrected, rejected, kept, merged = ids[:4]
        canonical = correct_and_reject(page, base, corrected, rejected)
        merge_then_undo(page, base, kept, merged, corrected)
    with Store(database) as store:
        assert store.event(confirmed)["review_state"] == "confirmed"
        event = store.event(corrected)
        assert (event["review_state"], event["agreement_type"], event["date"]) == \
            ("corrected", "sister_city", "2021-06-15")
        assert event["partner_canonical"] == canonical
        assert store.event(rejected)["review_state"] == "rejected"
        assert store.event(merged)["merged_into"] is None  # the merge was undone
        assert len(store.mentions(kept)) == len(store.mentions(merged)) == 1
        log = store.review_log()
        assert [(e.action, e.event_id) for e in log] == [
            ("confirm", confirmed), ("correct", corrected), ("reject", rejected),
            ("merge", kept), ("undo", kept)]
        assert log[2].reason == "홍보 기사일 뿐 협약이 아님"
        assert log[4].undoes == log[3].id and {e.reviewer for e in log} == {"alice"}
        assert any(e["evidence"] == SCRIPT_EVIDENCE for e in store.events())


def first_look(page, base: str) -> None:
    """A visitor reads but cannot write; logged in, the scraped script stays text and the
    Korean renders as real glyphs."""
    assert page.locator("#action-form").count() == 0  # no action controls for a visitor
    log_in(page, base)
    assert page.locator("td.evidence", has_text="<script>alert('xss')</script>").count() == 1
    assert page.evaluate("document.querySelectorAll('td script, td b').length") == 0
    assert page.locator("td", has_text="광주시").count() >= 1  # the cell holds the text as stored
    assert glyphs_differ(page, "안", "산")  # real glyphs, not boxes
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)


def correct_and_reject(page, base: str, corrected: int, rejected: int) -> str:
    """Corrects one event (type, date, partner from the gazetteer) and rejects another with a
    reason; returns the partner's canonical name the gazetteer filled in."""
    page.goto(f"{base}/events/{corrected}")
    assert page.inner_text("mark#evidence")  # the evidence is highlighted in the text
    page.select_option("#edit-agreement_type", "sister_city")
    page.fill("#edit-date", "2021-06-15")
    page.click(".use-place >> nth=0")  # a gazetteer match fills the partner's fields
    canonical = page.input_value("#edit-partner_canonical")
    assert canonical
    submit(page, "#edit-form button[type=submit]")
    page.goto(f"{base}/events/{rejected}")
    page.fill("#reject-reason", "홍보 기사일 뿐 협약이 아님")
    submit(page, "#reject-event-form button[type=submit]")
    return canonical


def merge_then_undo(page, base: str, kept: int, merged: int, corrected: int) -> None:
    page.goto(f"{base}/events/{kept}")
    page.fill("#merge-other", str(merged))
    submit(page, "#merge-form button[type=submit]")
    assert page.locator("#merge-pair").count() == 1  # different pairs: shown side by side first
    submit(page, "#merge-force-form button[type=submit]")
    assert page.locator("ul.mentions > li").count() == 2
    page.goto(f"{base}/events/{corrected}")
    with page.expect_navigation():
        page.keyboard.press("u")  # undoes alice's last decision: the merge
    assert "되돌렸습니다" in page.inner_text(".flash")
    history = page.inner_text("table.history")
    assert "수정" in history and "유형:" in history and "→ 자매결연" in history
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_fifty_events_with_the_keyboard_alone(page, tmp_path):
    database = seed(tmp_path / "fifty.db", 50)
    with live_server(database, review_config()) as base:
        log_in(page, base)
        page.goto(base + "/?state=new")
        started = time.perf_counter()
        for step in range(50):
            if step % 10 == 3:  # move down and back up: j/k keep the selection where it was
                page.keyboard.press("j")
                page.keyboard.press("k")
            with page.expect_navigation():
                if step % 5 == 4:
                    page.keyboard.press("r")
                    page.keyboard.type("협약 기사가 아님")
                    page.keyboard.press("Enter")
                else:
                    page.keyboard.press("c")
        elapsed = time.perf_counter() - started
        assert page.locator("[data-event-row]").count() == 0
    print(f"\n50 events reviewed with the keyboard in {elapsed:.1f} s "
          f"({elapsed / 50 * 1000:.0f} ms per event)")
    with Store(database) as store:
        states = [e["review_state"] for e in store.events()]
        log = store.review_log()
    assert states.count("confirmed") == 40 and states.count("rejected") == 10
    assert len(log) == 50 and all(e.reason == "협약 기사가 아님" for e in log if e.action == "reject")
