"""CLI command modules; each exposes `commands`, registered by `twinwatch.app.cli`."""
