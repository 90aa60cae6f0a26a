"""WCAG contrast ratios; the domain owns them now (doemee.colours), kept here for old imports."""

from doemee.colours import contrast_ratio, parse_hex, relative_luminance

__all__ = ["contrast_ratio", "parse_hex", "relative_luminance"]
