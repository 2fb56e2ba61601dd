"""Pure domain: procedures as data, dossiers, deadlines. Imports neither TinyDB nor Textual."""
