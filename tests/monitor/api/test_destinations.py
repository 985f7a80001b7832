"""`/buyers/{id}/destinations`: only the buyer and admins see them, and only masked."""

from __future__ import annotations

from tests.monitor.api.conftest import World

SLACK = "https://hooks.slack.com/services/T0000/B0000/s3cr3tTokenAb12"
TEAMS = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/run?sig=zZ99"


def path(world: World, who: str = "a") -> str:
    return f"/api/v1/buyers/{world.ids[f'buyer_{who}']}/destinations"


def test_a_buyer_adds_lists_and_deletes_its_destinations_masked(world: World) -> None:
    client, me = world.client, world.as_("a")
    added = client.post(path(world), json={"kind": "slack", "url": SLACK}, headers=me)
    assert added.status_code == 201, added.text
    assert added.json()["url_hint"] == "hooks.slack.com/…Ab12"
    assert "s3cr3t" not in added.text
    assert (
        client.post(path(world), json={"kind": "teams", "url": TEAMS}, headers=me).status_code
        == 201
    )
    again = client.post(path(world), json={"kind": "slack", "url": SLACK}, headers=me)
    assert again.status_code == 409
    listed = client.get(path(world), headers=world.as_("admin"))
    assert [d["kind"] for d in listed.json()] == ["slack", "teams"]
    assert "s3cr3t" not in listed.text and "sig=" not in listed.text
    assert listed.json()[1]["url_hint"] == "prod-01.westeurope.logic.azure.com/…zZ99"
    gone = client.delete(f"{path(world)}/{added.json()['id']}", headers=me)
    assert gone.status_code == 204
    assert [d["kind"] for d in client.get(path(world), headers=me).json()] == ["teams"]


def test_operators_viewers_and_other_buyers_see_nothing(world: World) -> None:
    client = world.client
    made = client.post(
        path(world), json={"kind": "teams", "url": TEAMS}, headers=world.as_("admin")
    ).json()
    for role in ("operator", "viewer"):
        assert client.get(path(world), headers=world.as_(role)).status_code == 403
        refused = client.post(path(world), json={"kind": "slack", "url": SLACK},
                              headers=world.as_(role))  # fmt: skip
        assert refused.status_code == 403
        assert (
            client.delete(f"{path(world)}/{made['id']}", headers=world.as_(role)).status_code == 403
        )
    other = world.as_("b")
    assert client.get(path(world), headers=other).status_code == 404
    assert client.delete(f"{path(world)}/{made['id']}", headers=other).status_code == 404
    # B's own path does not reach A's destination either.
    assert client.delete(f"{path(world, 'b')}/{made['id']}", headers=other).status_code == 404
    assert len(client.get(path(world), headers=world.as_("a")).json()) == 1


def test_a_bad_url_or_kind_is_refused(world: World) -> None:
    client, me = world.client, world.as_("a")
    for body in (
        {"kind": "slack", "url": "ftp://hooks.slack.com/x"},
        {"kind": "slack", "url": "https://user:pw@hooks.slack.com/x"},
        {"kind": "discord", "url": SLACK},
        {"kind": "slack", "url": "https://x/" + "a" * 2100},
    ):
        answer = client.post(path(world), json=body, headers=me)
        assert answer.status_code == 422, (body, answer.text)
        assert "pw@" not in answer.text
    assert client.get(path(world), headers=me).json() == []
