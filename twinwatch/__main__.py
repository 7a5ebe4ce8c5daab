"""`python -m twinwatch`: the same command as `twinwatch`, for an environment not on PATH."""

from twinwatch.app.cli import main

main()
