"""Comparing two screenshots: the pixelmatch kernel, shift-aware regions, the overlay."""
