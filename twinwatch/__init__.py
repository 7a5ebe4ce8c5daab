"""twinwatch: watch Korean local governments' exchange agreements.

This package is the kernel every stage may import — errors, configuration, input validation and
`twinwatch.pages` (the fetched-page record and the byte-level reading the crawler and the
extractor share) — plus `twinwatch.research` (counts, exports, the timeline) and, in
`twinwatch.app`, the application: the CLI and the wiring between the stage packages (`crawler`,
`extract`, `store`, `alerts`, `review`).
"""

__version__ = "0.1.0"
