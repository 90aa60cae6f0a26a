"""The Dutch sentence for a geography answer that is not a plain "found"."""

from __future__ import annotations

from doemee import messages
from doemee.geo.names import region_name
from doemee.geo.postcodes import find_postcode
from doemee.geo.types import GeoResult, Location, Outcome


def label(location: Location) -> str:
    """How a resident would recognise this place: "de wijk Lombok in Utrecht"."""
    return messages.geo_place_label(
        location.name, location.kind.value, location.place, location.municipality, location.province
    )


def explain(result: GeoResult) -> str | None:
    """The question or apology to show; None when the result is a plain find."""
    if result.outcome is Outcome.AMBIGUOUS:
        return messages.geo_ambiguous([label(c) for c in result.candidates])
    if result.outcome is Outcome.UNKNOWN:
        region = region_name(result.query)
        if region is not None:
            return messages.geo_region(region)
        postcode = find_postcode(result.query)
        if postcode is not None and len(result.query) <= 12:
            return messages.geo_unknown_postcode(postcode)
        return messages.GEO_UNKNOWN_PLACE
    if result.corrected and result.location is not None:
        return messages.geo_corrected(label(result.location))
    return None
