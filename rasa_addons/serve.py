"""`python -m rasa_addons.serve run ...`: Rasa's own command line, after installing DoeMee's patches.

The explicit start-up step the patches need (rasa_addons.patches); every
argument goes to Rasa unchanged.
"""

from __future__ import annotations

import sys

from rasa_addons.patches import install_all


def main() -> None:
    install_all()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
