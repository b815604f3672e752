"""Filled-in forms of a process: drafts, submissions, revisions, conflicts."""
