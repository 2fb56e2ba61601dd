from espace_tui.cli import main

raise SystemExit(main())
