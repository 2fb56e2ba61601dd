"""espace-tui: track the creation and activation of clients' espaces professionnels."""

__version__ = "0.1.0"
