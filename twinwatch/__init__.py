"""twinwatch: watch Korean local governments' exchange agreements.

This package holds the CLI, configuration loading and the wiring between the stage packages
(`crawler`, `extract`, `store`, `alerts`, `review`).
"""

__version__ = "0.1.0"
