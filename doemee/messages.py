"""Every Dutch sentence the domain, the command line and the actions show.

Written for B1 readers: short sentences, concrete words, "je". Keep text
here (or in domain.yml responses), never inside logic. Each part of the
code adds its own section below.
"""

from __future__ import annotations

# --- geography -------------------------------------------------------------

# --- matching reasons ------------------------------------------------------

# --- CSV import and export ---------------------------------------------------

# --- command line ------------------------------------------------------------

# --- conversation (actions) --------------------------------------------------
