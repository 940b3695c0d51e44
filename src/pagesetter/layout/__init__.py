"""Layout files → page model: page, type area, grids, frames, stories."""
