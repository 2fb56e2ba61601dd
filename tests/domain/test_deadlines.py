"""Every countdown, every status and the boundaries, driven by a frozen clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import (
    DEFAULT_THRESHOLDS,
    Status,
    Thresholds,
    classify_window,
    status_from_text,
    track_state,
)
from espace_tui.domain.dossier import (
    BankAccount,
    Blockage,
    Dossier,
    ExpertSpace,
    MandateType,
    Mode,
)
from espace_tui.domain.procedures import PROCEDURES, Fact

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
SECOND = timedelta(seconds=1)


def simplified(**events: datetime) -> Dossier:
    return Dossier("552081317", "Danone", Mode.SIMPLIFIED, created_at=T0, events=events)


def expert(**events: datetime) -> Dossier:
    return Dossier("732829320", "Client", Mode.EXPERT, created_at=T0, space_id="p", events=events)


def step(dossier: Dossier | ExpertSpace, step_id: str, now: datetime):  # type: ignore[no-untyped-def]
    return next(s for s in track_state(dossier, now).steps if s.template.id == step_id)


class TestLinkWindow72h:
    def test_deadline_is_72_hours_after_the_form(self) -> None:
        d = simplified(formulaire=T0)
        s = step(d, "lien_email", T0)
        assert s.deadline == T0 + timedelta(hours=72)
        assert s.window_start == T0

    def test_one_second_before_expiry_is_urgent(self) -> None:
        d = simplified(formulaire=T0)
        state = track_state(d, T0 + timedelta(hours=72) - SECOND)
        assert state.status is Status.URGENT
        assert step(d, "lien_email", T0 + timedelta(hours=72) - SECOND).expired is False

    def test_one_second_after_expiry_is_expired(self) -> None:
        d = simplified(formulaire=T0)
        now = T0 + timedelta(hours=72) + SECOND
        assert track_state(d, now).status is Status.EXPIRED
        s = step(d, "lien_email", now)
        assert s.expired
        assert s.template.countdown is not None
        assert s.template.countdown.remedy == "Recommencer la création"

    def test_clicking_the_link_closes_the_window(self) -> None:
        d = simplified(formulaire=T0, lien_email=T0 + timedelta(hours=1))
        s = step(d, "lien_email", T0 + timedelta(days=10))
        assert not s.window_open and not s.expired

    def test_clicked_late_is_done_but_flagged_late(self) -> None:
        d = simplified(formulaire=T0, lien_email=T0 + timedelta(hours=80))
        s = step(d, "lien_email", T0 + timedelta(hours=81))
        assert s.done and s.late


class TestExpertActivation48h:
    def space(self, **events: datetime) -> ExpertSpace:
        return ExpertSpace("p", "Principal", "a@b.fr", created_at=T0, events=events)

    def test_deadline_is_48_hours_after_creation(self) -> None:
        s = step(self.space(coordonnees=T0), "activation_espace", T0)
        assert s.deadline == T0 + timedelta(hours=48)
        assert not s.fallback

    def test_falls_back_to_login_choice(self) -> None:
        s = step(self.space(identifiants=T0), "activation_espace", T0)
        assert s.deadline == T0 + timedelta(hours=48)
        assert s.fallback

    def test_boundaries(self) -> None:
        space = self.space(coordonnees=T0)
        deadline = T0 + timedelta(hours=48)
        assert track_state(space, deadline - SECOND).status is Status.URGENT
        assert track_state(space, deadline + SECOND).status is Status.EXPIRED

    def test_activation_done_finishes_the_space(self) -> None:
        space = self.space(
            cgu_captcha=T0,
            identifiants=T0,
            coordonnees=T0,
            activation_espace=T0 + timedelta(hours=2),
        )
        assert track_state(space, T0 + timedelta(days=30)).status is Status.DONE


class TestLetterCode60Days:
    def test_counts_from_the_letter_print_date(self) -> None:
        printed = T0 + timedelta(days=5)
        d = simplified(formulaire=T0, lien_email=T0, **{Fact.LETTER_PRINTED.value: printed})
        s = step(d, "activation", T0 + timedelta(days=6))
        assert s.deadline == printed + timedelta(days=60)
        assert not s.fallback

    def test_falls_back_to_the_link_click_and_says_so(self) -> None:
        clicked = T0 + timedelta(hours=3)
        d = simplified(formulaire=T0, lien_email=clicked)
        s = step(d, "activation", T0 + timedelta(days=1))
        assert s.deadline == clicked + timedelta(days=60)
        assert s.fallback
        assert s.template.countdown is not None
        assert "clic sur le lien" in s.template.countdown.fallback_note

    def test_expert_adhesion_code_counts_from_letter_then_adhesion(self) -> None:
        d = expert(adhesion=T0)
        assert step(d, "activation_services", T0).deadline == T0 + timedelta(days=60)
        assert step(d, "activation_services", T0).fallback
        printed = T0 + timedelta(days=2)
        d2 = expert(adhesion=T0, **{Fact.LETTER_PRINTED.value: printed})
        assert step(d2, "activation_services", T0).deadline == printed + timedelta(days=60)

    def test_boundaries_and_remedy(self) -> None:
        d = expert(adhesion=T0)
        deadline = T0 + timedelta(days=60)
        assert track_state(d, deadline - SECOND).status is Status.URGENT
        assert track_state(d, deadline + SECOND).status is Status.EXPIRED
        s = step(d, "activation_services", deadline + SECOND)
        assert s.template.countdown is not None
        assert s.template.countdown.remedy == "Adhérer à nouveau"


class TestStatuses:
    def test_nothing_started_is_ok_without_deadline(self) -> None:
        state = track_state(simplified(), T0)
        assert state.status is Status.OK
        assert state.next_deadline is None
        assert state.next_step is not None and state.next_step.template.id == "formulaire"

    def test_ok_soon_urgent_across_a_60_day_window(self) -> None:
        d = simplified(formulaire=T0, lien_email=T0)
        deadline = T0 + timedelta(days=60)
        assert track_state(d, deadline - timedelta(days=20)).status is Status.OK
        # 25 % of 60 days = 15 days left.
        assert track_state(d, deadline - timedelta(days=14)).status is Status.SOON
        # 20 % of 60 days = 12 days left.
        assert track_state(d, deadline - timedelta(days=11)).status is Status.URGENT

    def test_under_seven_days_is_soon_under_48h_is_urgent_for_a_fixed_date(self) -> None:
        payment = T0 + timedelta(days=10)
        d = replace(
            simplified(
                formulaire=T0, lien_email=T0, courrier_code=T0, activation=T0, compte_bancaire=T0
            ),
            bank=BankAccount("FR7630006000011234567890189", "BNPAFRPP"),
            events={
                "formulaire": T0,
                "lien_email": T0,
                "courrier_code": T0,
                "activation": T0,
                "compte_bancaire": T0,
                Fact.FIRST_PAYMENT.value: payment,
            },
        )
        assert track_state(d, T0).status is Status.OK
        assert track_state(d, payment - timedelta(days=6)).status is Status.SOON
        assert track_state(d, payment - timedelta(hours=47)).status is Status.URGENT
        assert track_state(d, payment + SECOND).status is Status.EXPIRED

    def test_blocked_wins_over_everything(self) -> None:
        blockage = Blockage("b1", "deja_adherent", T0)
        d = replace(simplified(formulaire=T0), blockages=(blockage,))
        assert track_state(d, T0 + timedelta(days=5)).status is Status.BLOCKED
        resolved = replace(blockage, resolved_at=T0 + timedelta(hours=1))
        d2 = replace(d, blockages=(resolved,))
        assert track_state(d2, T0 + timedelta(hours=2)).status is not Status.BLOCKED

    def test_done_when_every_applicable_step_is_done(self) -> None:
        events = {s.id: T0 for s in PROCEDURES["simplifie"].steps}
        d = simplified(**events)
        assert track_state(d, T0 + timedelta(days=400)).status is Status.DONE

    def test_the_b2b_step_follows_the_payment_services_not_a_mandate_type(self) -> None:
        from espace_tui.domain.teleservices import ServiceState

        events = {s.id: T0 for s in PROCEDURES["simplifie"].steps if s.id != "mandat_b2b"}
        bank = BankAccount("FR7630006000011234567890189", "BNPAFRPP", MandateType.CORE)
        paying = replace(
            simplified(**events), bank=bank, services={"payer_tva": ServiceState.ACTIVE}
        )
        state = track_state(paying, T0)
        assert state.status is not Status.DONE
        assert next(s for s in state.steps if s.template.id == "mandat_b2b").applies
        # No « Payer » service and no payment dated: no account nor mandate to chase.
        filing = replace(paying, services={"declarer_tva": ServiceState.ACTIVE})
        state = track_state(filing, T0)
        assert state.status is Status.DONE
        skipped = {s.template.id for s in state.steps if not s.applies}
        assert skipped == {"compte_bancaire", "mandat_b2b"}

    def test_messagerie_step_applies_only_when_requested(self) -> None:
        from espace_tui.domain.teleservices import ServiceState

        without = step(expert(), "messagerie_email", T0)
        with_it = step(
            replace(expert(), services={"messagerie": ServiceState.REQUESTED}),
            "messagerie_email",
            T0,
        )
        assert not without.applies and with_it.applies

    def test_sort_key_puts_urgent_before_expired_before_ok(self) -> None:
        urgent = track_state(simplified(formulaire=T0 - timedelta(hours=60)), T0)
        expired = track_state(simplified(formulaire=T0 - timedelta(days=4)), T0)
        ok = track_state(simplified(), T0)
        ordered = sorted([ok, expired, urgent], key=lambda s: s.sort_key())
        assert [s.status for s in ordered] == [Status.URGENT, Status.EXPIRED, Status.OK]


class TestThresholds:
    @pytest.mark.parametrize(
        ("left", "expected"),
        [
            (timedelta(days=30), Status.OK),
            (timedelta(days=6, hours=23), Status.SOON),
            (timedelta(hours=47), Status.URGENT),
            (timedelta(0), Status.EXPIRED),
        ],
    )
    def test_fixed_times(self, left: timedelta, expected: Status) -> None:
        # A zero-length window (a fixed date such as the first payment) has no share.
        assert classify_window(T0 + left, T0 + left, T0, DEFAULT_THRESHOLDS) is expected

    def test_share_is_configurable(self) -> None:
        loose = Thresholds(soon_share=0.5, soon_within=timedelta(0), urgent_share=0.1,
                           urgent_within=timedelta(0))  # fmt: skip
        start, end = T0, T0 + timedelta(days=100)
        assert classify_window(start, end, T0 + timedelta(days=55), loose) is Status.SOON
        assert classify_window(start, end, T0 + timedelta(days=40), loose) is Status.OK
        assert classify_window(start, end, T0 + timedelta(days=95), loose) is Status.URGENT


def test_status_from_text_accepts_ids_and_french_labels() -> None:
    assert status_from_text("bientôt") is Status.SOON
    assert status_from_text("bientot") is Status.SOON
    assert status_from_text("EXPIRÉ") is Status.EXPIRED
    assert status_from_text("blocked") is Status.BLOCKED
    assert status_from_text("nimporte") is None


def test_windows_are_absolute_across_daylight_saving() -> None:
    # 2027-03-28 02:00 Paris: clocks go forward; a 72 h window still lasts 72 real hours.
    form = datetime(2027, 3, 26, 12, 0, tzinfo=PARIS)
    s = step(simplified(formulaire=form), "lien_email", form)
    assert s.deadline is not None
    assert (s.deadline - form.astimezone(s.deadline.tzinfo)).total_seconds() == 72 * 3600
    assert s.deadline.astimezone(PARIS).hour == 13  # wall clock moved by the hour change
