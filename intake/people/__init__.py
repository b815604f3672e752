"""People: accounts, memberships, adding and removing members, and the first page after sign-in."""
