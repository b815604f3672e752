"""Report-backs: assembled from the records, rendered to PDF, frozen on release."""
