"""Signing in and out, set-up links, and changing one's password."""
