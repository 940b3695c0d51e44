"""Fonts: the registry of families and roles, and glyph metrics read with fontTools."""
