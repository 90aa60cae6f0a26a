"""CSV import and export of opportunities (CONTRACT section 4), and the demo data.

`csv_format` reads and checks a file without touching the database;
`importer` writes a checked file in one transaction; `exporter` writes the
open opportunities back in the same format; `demo` loads and removes the
demo dataset through the same path.
"""
