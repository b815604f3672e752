"""The pages people without an account reach through a private link."""
