"""Check-ins: private links, rounds and reminders, answering by link, results, and his own link."""
