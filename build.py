"""Build the documents of every product in products/ into output/ (same as `ocopdocs build`)."""

from ocopdocs.cli import main

if __name__ == "__main__":  # worker processes import this module again; only the parent builds
    raise SystemExit(main())
