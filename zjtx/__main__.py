"""Allow `python -m zjtx`."""

from zjtx.cli import main

raise SystemExit(main())
