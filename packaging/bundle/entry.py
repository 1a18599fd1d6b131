"""The bundle's entry point: the same program as `landscape-explorer` and `python -m explorer`."""
import sys

from explorer.cli import main

if __name__ == "__main__":
    sys.exit(main())
