"""Pages of one process; every view declares which roles may see it."""
