"""Ranks open opportunities for a resident: interest, distance, time, freshness."""
