"""Routes of the review page. Each write: login and CSRF checked before (review.app), one
`Store` call, then a redirect back; a refused decision comes back as a flashed message."""

from __future__ import annotations

import re
import zlib
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)
from flask.typing import ResponseReturnValue

from extract.records import AGREEMENT_TYPES, STATUSES
from review import auth, decisions
from review.context import MAX_ROW_ID, local_target, review_config
from review import documents, queue
from review.config import reviewer_name
from review.documents import DocumentQuery
from review.queue import ALL_STATES, QueueFilter
from review.text import locate_selection, marked
from store import StoreError
from store.curation import PairsDiffer
from store.migrations import REVIEW_STATES

views = Blueprint("views", __name__)


@views.get("/")
def queue_page() -> ResponseReturnValue:
    chosen = QueueFilter.from_args(request.args)
    shown = queue.queue_page(g.store, chosen, review_config().page_size)
    return render_template("queue.html", shown=shown, rows=shown.rows, chosen=chosen,
                           counts=queue.counts_by_state(g.store, chosen),
                           countries=queue.countries(g.store), states=(*REVIEW_STATES, ALL_STATES),
                           types=AGREEMENT_TYPES)


@views.get("/events/<int:event_id>")
def event_page(event_id: int) -> ResponseReturnValue:
    try:
        record = decisions.event_record(g.store, event_id)
    except StoreError:
        abort(404, description=f"{event_id}번 사건은 없습니다")
    event = record.event
    place_query = request.args.get("place") or event["partner"]
    document = record.document
    span = tuple(event["evidence_span"]) if event.get("evidence_span") else None
    parts = (marked(document["text"] or "", span, event.get("evidence"), event.get("field_spans"))
             if document else None)
    back = local_target(request.args.get("next"), url_for("views.queue_page"))
    before, after = queue.neighbours(g.store, QueueFilter.from_args(_query_of(back)), event_id)
    return render_template(
        "event.html", record=record, event=event, parts=parts, document=document,
        place_query=place_query,
        places=decisions.place_choices(place_query, request.args.get("country") or
                                       event.get("partner_country")),
        party_places=decisions.place_choices(event["korean_party"], "KR", side="korean"),
        types=AGREEMENT_TYPES, statuses=STATUSES, changed=decisions.changed_fields,
        back=back, previous_id=before, next_id=after)


def _query_of(path: str) -> dict[str, str]:
    """The query arguments of a local path (the queue the reviewer came from)."""
    return {name: values[-1] for name, values in parse_qs(urlsplit(path).query).items()}


@views.get("/documents")
def document_list() -> ResponseReturnValue:
    chosen = DocumentQuery.from_args(request.args)
    shown = documents.document_page(g.store, chosen, review_config().page_size)
    return render_template("documents.html", shown=shown, chosen=chosen)


@views.get("/documents/<int:document_id>")
def document_page(document_id: int) -> ResponseReturnValue:
    try:
        document = g.store.document(document_id)
    except StoreError:
        abort(404, description=f"{document_id}번 문서는 없습니다")
    parts = marked(document["text"] or "", None, None, None)
    mentioned = list(g.store.db.query(
        "SELECT DISTINCT event_id FROM mentions WHERE document_id = ? ORDER BY event_id",
        [document_id]))
    return render_template("document.html", document=document, parts=parts,
                           events=[row["event_id"] for row in mentioned],
                           types=AGREEMENT_TYPES, statuses=STATUSES)


@views.get("/documents/<int:document_id>/archived")
def archived_copy(document_id: int) -> ResponseReturnValue:
    """The page's bytes as fetched. Sandboxed: scraped HTML never runs on this origin."""
    row = next(g.store.db.query("SELECT raw_zlib, content_type FROM documents WHERE id = ?",
                                [document_id]), None)
    if row is None or row["raw_zlib"] is None:
        abort(404, description="이 문서의 보관본이 없습니다")
    # Always HTML, whatever the remote server said: a copy sent as application/javascript
    # must never load as a script from this origin. Its charset is kept so Korean reads right.
    response = Response(zlib.decompress(row["raw_zlib"]),
                        content_type=archived_content_type(row["content_type"]))
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def archived_content_type(remote: str | None) -> str:
    """`text/html`, with the remote charset when it is a plain label (euc-kr, utf-8 …)."""
    charset = (remote or "").lower().partition("charset=")[2].split(";")[0].strip().strip('"')
    return f"text/html; charset={charset}" if re.fullmatch(r"[a-z0-9._-]{1,40}", charset) else "text/html"


def form_id(value: str) -> int | None:
    """A row id typed or sent in a form: ASCII digits within SQLite's integer range, else
    None (str.isdigit also takes '²', and a 25-digit number overflows SQLite)."""
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ROW_ID:
        return None
    return int(value)


def _decide(event_id: int, decide: Callable[[], Any], done: str) -> ResponseReturnValue:
    """Run one decision; flash what happened or why it was refused, and go back."""
    try:
        decide()
        if done:
            flash(done, "ok")
    except StoreError as exc:
        flash(str(exc), "error")
    fallback = url_for("views.event_page", event_id=event_id) if event_id else url_for("views.queue_page")
    return redirect(local_target(request.form.get("next"), fallback))


@views.post("/events/<int:event_id>/confirm")
def confirm(event_id: int) -> ResponseReturnValue:
    return _decide(event_id, lambda: g.store.review(event_id, "confirm", g.reviewer),
                   f"{event_id}번 사건을 확인했습니다")


@views.post("/events/<int:event_id>/reject")
def reject(event_id: int) -> ResponseReturnValue:
    reason = (request.form.get("reason") or "").strip()

    def decide() -> None:
        if not reason:
            raise StoreError("제외하는 이유를 적어 주세요")
        g.store.review(event_id, "reject", g.reviewer, reason=reason)
    return _decide(event_id, decide, f"{event_id}번 사건을 제외했습니다")


@views.post("/events/<int:event_id>/correct")
def correct(event_id: int) -> ResponseReturnValue:
    def decide() -> None:
        current = g.store.event(event_id) or {}
        changes = decisions.correction_from(request.form, current)
        g.store.review(event_id, "correct", g.reviewer, after=changes,
                       reason=(request.form.get("reason") or "").strip() or None)
    return _decide(event_id, decide, f"{event_id}번 사건을 수정했습니다")


@views.post("/events/<int:event_id>/merge")
def merge(event_id: int) -> ResponseReturnValue:
    """Events of different pairs are merged only after a page showing both is confirmed."""
    other = form_id(request.form.get("other", "").strip().lstrip("#"))
    reason = (request.form.get("reason") or "").strip() or None
    force = request.form.get("force") == "1"
    asked: list[int] = []

    def decide() -> None:
        if other is None:
            raise StoreError("이 사건에 합칠 사건의 번호를 적어 주세요")
        try:
            g.store.merge(event_id, other, g.reviewer, reason=reason, force=force)
        except PairsDiffer:
            asked.append(other)  # nothing merged: ask first
            return
        flash(f"{event_id}번 사건에 합쳤습니다", "ok")
    response = _decide(event_id, decide, "")
    if not asked:
        return response
    return render_template("merge_confirm.html", kept=g.store.event(event_id),
                           merged=g.store.event(asked[0]), reason=reason)


@views.post("/events/<int:event_id>/split")
def split(event_id: int) -> ResponseReturnValue:
    chosen = [i for i in map(form_id, request.form.getlist("mention")) if i is not None]
    new_ids: list[int] = []

    def decide() -> None:
        new_ids.append(g.store.split(event_id, chosen, g.reviewer,
                                     reason=(request.form.get("reason") or "").strip() or None))
    response = _decide(event_id, decide, "새 사건으로 나눴습니다")
    return redirect(url_for("views.event_page", event_id=new_ids[0])) if new_ids else response


@views.post("/events/confirm")
def confirm_selected() -> ResponseReturnValue:
    chosen = [i for i in map(form_id, request.form.getlist("event")) if i is not None]

    def decide() -> None:
        if not chosen:
            raise StoreError("확인할 사건을 고르세요")
        g.store.confirm_many(chosen, g.reviewer)
    return _decide(0, decide, f"{len(chosen)}건을 확인했습니다")


@views.post("/documents/<int:document_id>/events")
def add_event(document_id: int) -> ResponseReturnValue:
    new_ids: list[int] = []

    def decide() -> None:
        document = g.store.document(document_id)
        span = locate_selection(document["text"] or "", request.form.get("selected", ""),
                                request.form.get("start", ""))
        fields = {name: (request.form.get(name) or "").strip() or None
                  for name in ("korean_party", "partner", "partner_country", "agreement_type",
                               "date", "status")}
        fields = {k: v for k, v in fields.items() if v is not None}
        new_ids.append(g.store.add_event(document_id, fields, span, g.reviewer))
    response = _decide(0, decide, "사건을 추가했습니다")
    return redirect(url_for("views.event_page", event_id=new_ids[0])) if new_ids else response


@views.post("/undo")
def undo() -> ResponseReturnValue:
    def decide() -> None:
        entries = g.store.undo(g.reviewer)
        flash("되돌렸습니다: " + ", ".join(f"{e.event_id}번 사건의 #{e.undoes}" for e in entries), "ok")
    return _decide(0, decide, "")


@views.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    target = local_target(request.values.get("next"), url_for("views.queue_page"))
    if request.method == "POST":
        refused = _try_login(request.form.get("name") or "", request.form.get("password") or "")
        if refused is None:
            return redirect(target)
        flash(refused[0], "error")
        return render_template("login.html", target=target), refused[1]
    return render_template("login.html", target=target)


def _try_login(typed_name: str, password: str) -> tuple[str, int] | None:
    """Log in, or say why not (message, HTTP status). A name and address that failed ten
    times in fifteen minutes wait fifteen minutes, right password or not."""
    name = reviewer_name(typed_name) or typed_name.strip()
    address = request.remote_addr or "?"
    throttle = auth.throttle()
    wait = throttle.wait_seconds(name, address)
    if wait > 0:
        return f"로그인에 너무 여러 번 실패했습니다. {max(1, round(wait / 60))}분 뒤에 다시 해 주세요", 429
    if reviewer_name(typed_name) is None or not auth.password_ok(review_config(), name, password):
        throttle.failed(name, address)
        return "이름이나 비밀번호가 틀렸습니다", 401
    throttle.succeeded(name, address)
    auth.log_in(name)
    return None


@views.post("/logout")
def logout() -> ResponseReturnValue:
    auth.log_out()
    return redirect(url_for("views.login"))
