"""``python -m reconnect_signals`` runs the command-line interface."""

from .cli import main

raise SystemExit(main())
