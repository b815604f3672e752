"""The process record: demands, agreed steps, meetings, the contact log and silence.

Each domain module here is plain Python; the ``*_views`` modules are its pages.
"""
