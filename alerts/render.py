"""A digest as plain text (e-mail, Slack), HTML (e-mail) and Markdown (file channel).

Jinja2 templates in alerts/templates/; HTML is autoescaped (titles and evidence come from
crawled pages), the text forms are not. `trim_blocks` keeps the block tags off the output.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from alerts.digest import Digest


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("alerts", "templates"),
                       autoescape=select_autoescape(["html"], default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _render(name: str, digest: Digest) -> str:
    return environment().get_template(name).render(digest=digest)


def render_text(digest: Digest) -> str:
    return _render("digest.txt", digest)


def render_html(digest: Digest) -> str:
    return _render("digest.html", digest)


def render_markdown(digest: Digest) -> str:
    return _render("digest.md", digest)


def digest_json(digest: Digest) -> dict[str, Any]:
    """The generic webhook body: the texts and the records behind them."""
    return {
        "subject": digest.subject, "channel": digest.channel, "recipient": digest.recipient,
        "built_at": digest.built_at, "text": render_text(digest), "html": render_html(digest),
        "events": [{**event.as_dict(), "source_urls": list(event.source_urls)}
                   for group in digest.groups for event in group.events],
        "corrections": [{"event_id": c.event_id, "action": c.action, "line": c.line}
                        for c in digest.corrections],
        "warnings": [{"source": w.source, "kind": w.kind, "message": w.message}
                     for w in digest.warnings],
        "held_back": digest.held_back,
    }
