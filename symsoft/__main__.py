"""``python -m symsoft``: the command line (:func:`symsoft.cli.main`)."""

import sys

from symsoft.cli import main

if __name__ == "__main__":  # pragma: no cover - python -m symsoft
    sys.exit(main())
