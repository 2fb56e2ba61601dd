"""`config alertes` switches the dashboard's alert channels one by one; `config` shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.alert_settings import alert_settings
from espace_tui.store.repository import Store


def test_config_alertes_changes_only_what_is_given(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "alertes", "--sonnerie", "non"]) == 0
    chosen = alert_settings(Store(cli_env).settings())
    assert (chosen.toast, chosen.bell, chosen.desktop) == (True, False, True)
    assert main(["config", "alertes", "--bureau", "non"]) == 0
    chosen = alert_settings(Store(cli_env).settings())
    assert (chosen.toast, chosen.bell, chosen.desktop) == (True, False, False)
    capsys.readouterr()
    assert main(["config"]) == 0
    assert "Alertes du tableau de bord : notification dans le tableau de bord" in (
        capsys.readouterr().out
    )
