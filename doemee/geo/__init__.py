"""Dutch geography from GeoNames: postcodes, places and neighbourhoods.

Uses only the standard library and rapidfuzz, so the Rasa environment's NLU
components can share it with the app. The index itself lives in
doemee.geo.index (get_geo_index); importing this package stays cheap.
"""

from doemee.geo.types import GeoResult, Kind, Location, Outcome

__all__ = ["GeoResult", "Kind", "Location", "Outcome"]
