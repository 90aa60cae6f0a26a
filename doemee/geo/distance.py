"""Great-circle distance, and the box around a point that bounds a radius."""

from __future__ import annotations

from math import asin, cos, floor, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.195
# Latitude bands of 0.05 degree (5.6 km): an index on (band, longitude)
# finds a box by a few short scans, one per band, not one long one.
LAT_BANDS_PER_DEGREE = 20


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = phi2 - phi1
    dlam = radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within the radius."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = radius_km / (KM_PER_DEGREE_LAT * max(0.01, cos(radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def lat_band(lat: float) -> int:
    return floor(lat * LAT_BANDS_PER_DEGREE)


def lat_bands(min_lat: float, max_lat: float) -> list[int]:
    """Every band that holds a latitude between the two."""
    return list(range(lat_band(min_lat), lat_band(max_lat) + 1))
