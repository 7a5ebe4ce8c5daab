"""A digest as plain text (e-mail, Slack), HTML (e-mail) and Markdown (file channel).

Jinja2 templates in alerts/templates/; HTML is autoescaped (titles and evidence come from
crawled pages), and so is Markdown, its own way: every value is written as literal text (HTML
tags as entities, Markdown's marks backslashed), since a Markdown viewer renders raw HTML and
links. Plain text is not escaped. `trim_blocks` keeps the block tags off the output.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from alerts.digest import Digest


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("alerts", "templates"),
                       autoescape=select_autoescape(["html"], default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


class MarkdownSafe(str):
    """A value already fit for Markdown (a URL made safe for `<…>`): written as it is."""


# Emphasis, code and table cells; a `]` only where it would close a link or an image
# (`](` or `][`), so a bracketed "[twinwatch]" stays as typed.
MARKDOWN_MARKS = re.compile(r"([\\`*_|~]|\](?=[(\[]))")


def markdown_text(value: Any) -> str:
    """Any value as literal Markdown text: one line, no live HTML, no emphasis, links or images."""
    if isinstance(value, MarkdownSafe):
        return value
    text = " ".join(str(value).split()) if value is not None else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_MARKS.sub(r"\\\1", text)


def markdown_url(url: str) -> MarkdownSafe:
    """An http(s) URL for a `<…>` autolink (nothing in it can close the brackets), else text."""
    if not re.match(r"https?://", url, re.I):
        return MarkdownSafe(markdown_text(url))
    return MarkdownSafe(quote(url, safe="/:?#[]@!$&'()*+,;=%~-._"))


@cache
def markdown_environment() -> Environment:
    markdown = Environment(loader=PackageLoader("alerts", "templates"), autoescape=False,
                           trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                           keep_trailing_newline=True, finalize=markdown_text)
    markdown.filters["url"] = markdown_url
    return markdown


def _render(name: str, digest: Digest) -> str:
    chosen = markdown_environment() if name.endswith(".md") else environment()
    return chosen.get_template(name).render(digest=digest)


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
