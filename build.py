"""Build the documents of every product in products/ into output/ (same as `ocopdocs build`)."""

from ocopdocs.cli import main

raise SystemExit(main())
