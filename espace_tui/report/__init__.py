"""Exporters and machine-readable views. Import no Textual."""
