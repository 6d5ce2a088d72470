"""Small utilities every stage uses: the clock, atomic files, the catalog lock, progress lines."""
