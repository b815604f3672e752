"""A process's own questionnaires: built in the app, versioned, sealed, for that process only."""
