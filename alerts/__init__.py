"""Daily digests and source-health alerts for staff.

    from alerts import build_digest, send_digests
    deliveries = send_digests(store, config)             # every configured recipient
    digest = build_digest(store, "email", recipient)     # read-only: what it would get now
"""

from alerts.config import AlertsConfig, Recipient, RecipientFilter, alerts_config
from alerts.digest import Digest, build_digest
from alerts.dispatch import Delivery, preview_digest, send_daily_digest, send_digests, send_test
from alerts.health import SourceWarning, source_warnings
from alerts.render import render_html, render_markdown, render_text

__all__ = ["AlertsConfig", "Recipient", "RecipientFilter", "alerts_config", "Digest",
           "build_digest", "Delivery", "preview_digest", "send_daily_digest", "send_digests", "send_test",
           "SourceWarning", "source_warnings", "render_html", "render_markdown", "render_text"]
