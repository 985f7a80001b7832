"""Supplier validation: countries, materials, certifications and sizes are normalised."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from monitor.suppliers.models import SupplierCreate, SupplierUpdate


def test_values_are_normalised() -> None:
    s = SupplierCreate(
        name=" Coop ",
        country="Ivory Coast",
        subdivision="ci-ab",
        materials="cacao; 0901; cocoa beans",
        certifications="Fair-Trade | ORGANIC | Local Seal",
        size_class="Micro",
    )
    assert (s.name, s.country, s.subdivision) == ("Coop", "CI", "CI-AB")
    assert s.materials == ["cocoa", "coffee"]
    assert s.certifications == ["fair trade", "organic", "Local Seal"]
    assert s.size_class == "micro"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"materials": []}, "at least 1 item"),
        ({"subdivision": "GH-AH"}, "not in country CI"),
        ({"lat": 95.0, "lon": 0.0}, "outside -90..90"),
        ({"lead_time_days": -1}, "greater than or equal to 0"),
    ],
)
def test_bad_values_are_refused(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"name": "x", "country": "CI", "materials": ["cocoa"]}
    with pytest.raises(ValidationError, match=message):
        SupplierCreate.model_validate(base | fields)


def test_update_normalises_only_what_is_given() -> None:
    u = SupplierUpdate(country="Ghana", certifications="fsc")
    assert u.model_dump(exclude_unset=True) == {"country": "GH", "certifications": ["FSC"]}


def test_an_update_cannot_null_a_required_field() -> None:
    import pytest
    from pydantic import ValidationError

    from monitor.suppliers.models import SupplierUpdate

    with pytest.raises(ValidationError, match="country cannot be null"):
        SupplierUpdate.model_validate({"country": None})
    assert SupplierUpdate.model_validate({"city": None}).city is None
