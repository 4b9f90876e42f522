"""`python -m studiosync.sandbox [options]`: the same server as `studiosync sandbox`."""

from __future__ import annotations

import sys

from studiosync.cli import main

if __name__ == "__main__":
    sys.argv[1:1] = ["sandbox"]
    main()
