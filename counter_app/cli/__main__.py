"""`python -m counter_app.cli`: the same as the `counter-app` command."""

from counter_app.cli import main

raise SystemExit(main())
