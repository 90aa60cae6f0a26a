"""Fictional demo data: volunteer opportunities that show DoeMee working.

Every initiative, e-mail address and website in opportunities.csv is made up
(addresses end in example.org); only the postcodes and place names are real,
so matching by distance behaves as it would with real data. `make run` loads
the file into an empty database and `bin/doemee demo-remove` takes it out
again, so a volunteer centre can start with its own opportunities.
"""

from __future__ import annotations

from pathlib import Path

OPPORTUNITIES_CSV: Path = Path(__file__).resolve().parent / "opportunities.csv"
"""The demo opportunities, in the CSV import format of CONTRACT section 4."""
