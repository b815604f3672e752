"""A process's life at its end: export, erase, backups and retention."""
