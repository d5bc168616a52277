"""``python -m twin_app.cli``: the same as the ``twin-app`` command."""

from twin_app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
