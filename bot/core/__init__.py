"""The rules of the game. Imports only the standard library and small pure libraries."""
