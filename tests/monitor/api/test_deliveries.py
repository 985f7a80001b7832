"""E-mail addresses are checked on the way in; each delivery's outcome is shown to its buyer
and to operators."""

from __future__ import annotations

import pytest

from monitor import db
from monitor.buyers.contacts import email_address
from monitor.models import Delivery
from tests.monitor.api.conftest import World

BAD = ["[a@b.c", "<evil@x.y>", "a@b..c", "a@localhost", "a\r\n@b.c", "a@b.c, c@d.e", "üser@x.de"]


@pytest.mark.parametrize("address", BAD)
def test_bad_addresses_are_refused_on_create_and_update(world: World, address: str) -> None:
    admin = world.as_("admin")
    made = world.client.post("/api/v1/buyers", json={"name": "x", "email": address}, headers=admin)
    assert made.status_code == 422 and made.json()["detail"][0]["loc"] == ["email"]
    changed = world.client.patch(
        f"/api/v1/buyers/{world.ids['buyer_a']}", json={"email": address}, headers=world.as_("a")
    )
    assert changed.status_code == 422 and changed.json()["detail"][0]["loc"] == ["email"]


def test_good_addresses_are_stored_normalised(world: World) -> None:
    answer = world.client.patch(
        f"/api/v1/buyers/{world.ids['buyer_a']}",
        json={"email": "Buyer@Exämple.COM"},
        headers=world.as_("a"),
    )
    assert answer.status_code == 200 and answer.json()["email"] == "Buyer@exämple.com"
    assert email_address("Buyer@Exämple.COM", ascii_only=True) == "Buyer@xn--exmple-cua.com"


def test_buyers_and_operators_see_why_a_delivery_failed(world: World) -> None:
    with db.session_scope(world.settings) as session:
        for who in ("a", "b"):
            session.add(
                Delivery(
                    alert_id=world.ids[f"alert_{who}"], channel="email", status="gave_up",
                    attempts=1, last_error=f"invalid e-mail address: {who}",
                )
            )  # fmt: skip
    mine = world.client.get("/api/v1/deliveries", headers=world.as_("a")).json()
    assert mine["total"] == 1
    assert mine["items"][0]["last_error"] == "invalid e-mail address: a"
    assert mine["items"][0]["alert_id"] == world.ids["alert_a"]
    seen = world.client.get("/api/v1/deliveries?status=gave_up", headers=world.as_("operator"))
    assert seen.json()["total"] == 2
    other = world.client.get(
        f"/api/v1/deliveries?buyer_id={world.ids['buyer_b']}", headers=world.as_("a")
    )
    assert other.status_code == 404
    assert world.client.get("/api/v1/deliveries", headers=world.as_("viewer")).status_code == 403
    none = world.client.get("/api/v1/deliveries?status=delivered", headers=world.as_("admin"))
    assert none.json() == {"items": [], "total": 0}
