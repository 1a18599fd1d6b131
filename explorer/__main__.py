import sys

from explorer.cli import main

if __name__ == "__main__":   # not when a sweep's worker process imports the parent's main module
    sys.exit(main())
