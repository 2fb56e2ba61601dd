"""Regenerate screenshots/*.svg from the real dashboard on demo data with a frozen clock.

    .venv/bin/python scripts/screenshots.py

Each shot runs the app built by `create_app` (as the CLI does) in a 120 x 36 terminal, on a
fresh demo folder dated 1 December 2026 09:00 Paris, presses the keys listed, then saves.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace_tui.domain.clock import PARIS, FrozenClock  # noqa: E402
from espace_tui.store.repository import Store  # noqa: E402
from espace_tui.tui.app import create_app  # noqa: E402
from espace_tui.workspace import Workspace  # noqa: E402
from espace_tui.workspace.demo import fill_demo  # noqa: E402

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
SIZE = (120, 36)
OUT = ROOT / "screenshots"

# file name -> (title, keys pressed after the first screen)
SHOTS: dict[str, tuple[str, list[str]]] = {
    "main": ("Tableau de bord", []),
    "espace-expert": ("Espace expert du cabinet : code à saisir sous 48 h", ["down"] * 2),
    "dossier-simplifie": ("Dossier en mode simplifié", ["down"] * 10),
    "dossier-expert": ("Dossier en mode expert", ["down"] * 4),
    "dossier-expire": ("Délai expiré : que faire", ["down"] * 5),
    "historique": ("Historique complet (h)", [*["down"] * 6, "h"]),
    "help": ("Aide (F1)", ["f1"]),
    "add-form": ("Ajouter un dossier", ["a", *"73282932", "tab"]),
}


async def shoot(name: str, title: str, keys: list[str]) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        clock = FrozenClock(NOW)
        fill_demo(store, clock.now())
        app = create_app(Workspace(store, clock))
        async with app.run_test(size=SIZE) as pilot:
            # The header's helpline state arrives once the holiday calendar has loaded.
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            app.title = f"espace-tui — {title}"
            path = OUT / f"{name}.svg"
            app.save_screenshot(str(path))
    return path


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, (title, keys) in SHOTS.items():
        print(await shoot(name, title, keys))


if __name__ == "__main__":
    asyncio.run(main())
