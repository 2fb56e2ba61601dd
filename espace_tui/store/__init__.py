"""Storage: TinyDB behind a repository, written atomically. Imports no Textual."""
