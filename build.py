"""Build the documents of every product in products/ into output/ (same as `ocopdocs build`)."""

import sys

from ocopdocs.cli import main

if __name__ == "__main__":  # worker processes import this module again; only the parent builds
    raise SystemExit(main(sys.argv[1:] or ["build"]))
