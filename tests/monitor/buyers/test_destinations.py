"""The destinations service: one of each kind per buyer, even under a race; URLs masked."""

from __future__ import annotations

import pytest

from monitor.buyers import destinations, service
from monitor.buyers.models import BuyerCreate, DestinationCreate
from monitor.db import session_scope
from monitor.errors import Conflict, NotFound
from monitor.settings import Settings


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T1/B2/abcdefWXYZ", "hooks.slack.com/…WXYZ"),
        ("https://h.example/x", "h.example/…"),  # too short to show any of it
        ("https://[::1/broken/and/long/enough", "?/…ough"),
    ],
)
def test_mask_shows_the_host_and_four_characters_at_most(url: str, shown: str) -> None:
    assert destinations.mask(url) == shown


def test_a_race_for_the_same_kind_is_a_conflict(
    db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = DestinationCreate(kind="slack", url="https://hooks.slack.com/services/T/B/one1")
    with session_scope(db_settings) as s:
        buyer = service.create_buyer(session=s, data=BuyerCreate(name="Racer")).id
        destinations.add_destination(session=s, buyer_id=buyer, data=data)
        # The other request checked before this one's row was written: the constraint decides.
        monkeypatch.setattr(destinations, "kinds", lambda **_: set())
        with pytest.raises(Conflict, match="already has a slack destination"):
            destinations.add_destination(session=s, buyer_id=buyer, data=data)
        assert [d.kind for d in destinations.list_destinations(session=s, buyer_id=buyer)] == [
            "slack"
        ]
        with pytest.raises(NotFound):
            destinations.delete_destination(session=s, buyer_id=buyer + 1, destination_id=1)
