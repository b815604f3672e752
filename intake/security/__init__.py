"""Protections that every request passes through."""
