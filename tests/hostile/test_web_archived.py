"""Archived copies are served as sandboxed HTML whatever the remote server called them, so a
page saved as `application/javascript` can never run as a script from the review page's origin,
and no site can frame them."""

from __future__ import annotations

import pytest

from review.app import create_app
from store import Retrieval, Store
from tests.support.review import review_config, seed
from extract.records import Document

SCRIPT_BODY = b"fetch('/events/1/confirm', {method: 'POST'});"


def archived(database, content_type: str, body: bytes = SCRIPT_BODY):
    with Store(database, keep_raw=True) as store:
        url = f"https://evil.example.kr/{abs(hash(content_type))}"
        fetched = Retrieval(url=url, raw=body, http_status=200, content_type=content_type)
        saved = store.save(Document(url=url, text="x", title="x"), [], retrieval=fetched, source="seed",
                           discovered_via="live", keep_raw=True)
    return create_app(database, review_config()).test_client().get(
        f"/documents/{saved.document_id}/archived")


@pytest.mark.parametrize("remote_type, served_type", [
    ("application/javascript", "text/html"),
    ("text/javascript; charset=utf-8", "text/html; charset=utf-8"),
    ("image/svg+xml", "text/html"),
    ("text/html; charset=EUC-KR", "text/html; charset=euc-kr"),
    ('text/html; charset="utf-8"; x=1', "text/html; charset=utf-8"),
    ("text/html; charset=utf-8<script>", "text/html"),
    ("", "text/html"),
])
def test_archived_copies_are_sandboxed_html_that_nobody_frames(tmp_path, remote_type,
                                                               served_type) -> None:
    database = seed(tmp_path / "review.db", 1)
    response = archived(database, remote_type)
    assert response.status_code == 200 and response.data == SCRIPT_BODY
    assert response.headers["Content-Type"] == served_type
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
