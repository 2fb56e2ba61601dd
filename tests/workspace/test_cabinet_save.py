"""save_cabinet: the cabinet and the spaces typed with it in one write, all or nothing."""

from __future__ import annotations

import pytest

from espace_tui.domain.errors import InvalidInput
from espace_tui.workspace import Workspace
from espace_tui.workspace.spaces import NewSpace


def test_cabinet_and_spaces_in_one_go(workspace: Workspace) -> None:
    spaces = [
        workspace.check_new_space("principal", "", "a@cabinet.fr"),
        NewSpace("lyon", "Agence de Lyon", "lyon@cabinet.fr"),
    ]
    info, added = workspace.save_cabinet("Cabinet Martin", "732 829 320", spaces)
    assert (info.name, info.siren) == ("Cabinet Martin", "732829320")
    assert [s.id for s in added] == [s.id for s in workspace.spaces()] == ["principal", "lyon"]


def test_one_bad_space_saves_nothing(workspace: Workspace) -> None:
    spaces = [NewSpace("principal", "", "a@cabinet.fr"), NewSpace("lyon", "", "a@cabinet.fr")]
    with pytest.raises(InvalidInput, match="déjà utilisée"):
        workspace.save_cabinet("Cabinet Martin", "", spaces)
    assert workspace.cabinet().name == "" and workspace.spaces() == []


def test_spaces_alone_leave_an_unnamed_cabinet_unnamed(workspace: Workspace) -> None:
    workspace.save_cabinet("", "", [NewSpace("principal", "", "a@cabinet.fr")])
    assert workspace.cabinet().name == "" and len(workspace.spaces()) == 1


def test_pending_spaces_count_as_taken(workspace: Workspace) -> None:
    first = workspace.check_new_space("principal", "", "a@cabinet.fr")
    with pytest.raises(InvalidInput, match="existe déjà"):
        workspace.check_new_space("principal", "", "b@cabinet.fr", pending=[first])
    with pytest.raises(InvalidInput, match="« principal »"):
        workspace.check_new_space("lyon", "", "A@cabinet.fr", pending=[first])
