"""`python -m app` is the `reception` command."""

from app.cli import main

raise SystemExit(main())
