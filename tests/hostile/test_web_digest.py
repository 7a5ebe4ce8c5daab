"""The Markdown digest writes scraped text as text: a page's `<script>`, `<img onerror>` or
Markdown link in an event's fields or evidence renders as the characters, never as markup."""

from __future__ import annotations

import markdown_it

from alerts import build_digest
from alerts.render import render_markdown
from tests.support.alerts import add_agreement
from store import Store

HOSTILE_EVIDENCE = ("<script>alert(1)</script>광주시는 <img src=x onerror=alert(2)> 선양시와 "
                    "[우호협약](javascript:alert(3)) ![p](http://t.example/p.png) **체결**했다.")


def test_the_markdown_digest_escapes_scraped_text(tmp_path) -> None:
    with Store(tmp_path / "tw.db") as store:
        add_agreement(store, "https://evil.example.kr/a?x=<b>&y=1",
                      korean_party="광주시<script>x</script>", partner="선양시<img src=x onerror=y>",
                      partner_country="CN", agreement_type="mou", date="2026-11-14",
                      evidence=HOSTILE_EVIDENCE)
        text = render_markdown(build_digest(store, "file", "default"))
    assert "<script" not in text and "<img" not in text
    rendered = markdown_it.MarkdownIt("commonmark").render(text)
    assert "<script" not in rendered and "<img" not in rendered
    assert 'href="javascript' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown, not dropped
    assert '<a href="https://evil.example.kr/a?x=%3Cb%3E&amp;y=1">' in rendered
