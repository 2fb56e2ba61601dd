"""Validation on real valid and invalid numbers; no input string crashes a validator."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import (
    format_siren,
    mask_code,
    mask_iban,
    normalize_bic,
    normalize_email,
    normalize_iban,
    normalize_siren,
)
from espace_tui.domain.validation import FIELD_VALIDATORS, validate_field


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("552081317", "552081317"),  # Danone
        ("732 829 320", "732829320"),
        ("356000000", "356000000"),  # La Poste
        (" 552.081.317 ", "552081317"),
    ],
)
def test_valid_sirens(raw: str, expected: str) -> None:
    assert normalize_siren(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("123456789", "clé de contrôle"),
        ("55208131", "8 chiffres"),
        ("5520813170", "10 chiffres"),
        ("55208131A", "que des chiffres"),
        ("٥٥٢٠٨١٣١٧", "que des chiffres"),  # Arabic-Indic digits
        ("", "obligatoire"),
    ],
)
def test_invalid_sirens_name_the_field_and_the_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_siren(raw)
    assert err.value.field == "SIREN"
    assert reason in err.value.message


def test_siren_display() -> None:
    assert format_siren("552081317") == "552 081 317"


@pytest.mark.parametrize(
    "iban",
    ["FR7630006000011234567890189", "fr76 3000 6000 0112 3456 7890 189", "DE89370400440532013000"],
)
def test_valid_ibans(iban: str) -> None:
    assert normalize_iban(iban) == "".join(iban.split()).upper()


@pytest.mark.parametrize(
    "iban", ["FR7630006000011234567890188", "FR76300060000112345678901", "XX00", "FR76-3000"]
)
def test_invalid_ibans(iban: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_iban(iban)
    assert err.value.field == "IBAN"


def test_bic() -> None:
    assert normalize_bic("bnpa fr pp") == "BNPAFRPP"
    assert normalize_bic("BNPAFRPPXXX") == "BNPAFRPPXXX"
    with pytest.raises(InvalidInput):
        normalize_bic("BNP")


def test_iban_and_code_masks_keep_only_the_ends() -> None:
    masked = mask_iban("FR7630006000011234567890189")
    assert masked == "FR76 **** **** **** **** ***0 189"
    assert "30006" not in masked
    assert mask_code("AB12CD34") == "******34"


@pytest.mark.parametrize("email", ["jean.dupont@exemple.fr", "Compta+client@cabinet-durand.fr"])
def test_valid_emails(email: str) -> None:
    assert normalize_email(email, "E-mail") == email


@pytest.mark.parametrize("email", ["jean.dupont", "a@b", "a@@b.fr", "a b@c.fr", "@exemple.fr"])
def test_invalid_emails_name_the_field(email: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_email(email, "E-mail de connexion")
    assert err.value.message.startswith("E-mail de connexion :")


def test_validate_field_returns_the_french_message() -> None:
    assert validate_field("siren", "552081317") is None
    message = validate_field("siren", "123456789")
    assert message is not None and message.startswith("SIREN :")
    assert validate_field("name", "[/]") is None  # markup is just text
    assert validate_field("name", "\x1b[31mRouge") is not None


@given(st.text(max_size=60))
def test_no_string_crashes_any_validator(raw: str) -> None:
    for name, validator in FIELD_VALIDATORS.items():
        try:
            validator(raw)
        except InvalidInput as err:
            assert err.message, name
