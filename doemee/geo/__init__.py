"""Dutch geography from GeoNames: postcodes, places and neighbourhoods.

Uses only the standard library and rapidfuzz, so the Rasa environment's NLU
components can share it with the app.
"""

from doemee.geo.types import GeoResult, Location

__all__ = ["GeoResult", "Location"]
