"""``python -m symsoft``: the command line (:func:`symsoft.cli.main`), as the ``symsoft`` script runs it."""

import sys

from symsoft.cli import main

if __name__ == "__main__":  # pragma: no cover - run as python -m symsoft
    sys.exit(main())
