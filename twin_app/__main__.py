"""Allow ``python -m twin_app``."""

from twin_app.cli import main

raise SystemExit(main())
