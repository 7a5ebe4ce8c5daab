"""CLI command modules; each exposes `commands`, registered by `twinwatch.cli`."""
