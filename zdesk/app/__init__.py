"""Use cases the window and the commands share: the history of loads (keep, read, compare, mark
known, forget) and the portaalrapport. Above the export and the load, below the window and the
command line."""
