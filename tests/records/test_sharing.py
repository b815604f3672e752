"""Raw minutes are the contact group's, unless it shares them with the support group."""

from tests.conftest import submit

MINUTES = {
    "kind": "internal",
    "planned_date": "2026-01-10",
    "outcome": "held",
    "his_reflections": "Shared words.",
    "_action": "submit",
}


def test_support_group_reads_minutes_only_when_shared(app, client, auth, group):
    auth.login("kim")
    url = submit(client, "/p/alpha/records/new/minutes", MINUTES).headers["Location"]
    record_id = url.rstrip("/").rsplit("/", 1)[1]
    sam = app.test_client()
    submit(sam, "/login", {"username": "sam", "password": "correct horse battery"})
    assert sam.get(url).status_code == 404

    submit(client, f"/p/alpha/records/{record_id}/share", page=url)
    assert "Shared words." in sam.get(url).get_data(as_text=True)
    assert "Meeting minutes" in sam.get("/p/alpha/records/").get_data(as_text=True)
    assert sam.get(url + "/edit").status_code == 404  # reading, not editing

    submit(client, f"/p/alpha/records/{record_id}/share", page=url)
    assert sam.get(url).status_code == 404


def test_only_the_contact_group_shares(app, client, auth, group):
    auth.login("kim")
    url = submit(client, "/p/alpha/records/new/minutes", MINUTES).headers["Location"]
    record_id = url.rstrip("/").rsplit("/", 1)[1]
    submit(client, "/logout", page="/")
    auth.login("sam")
    response = submit(client, f"/p/alpha/records/{record_id}/share", page="/p/alpha/")
    assert response.status_code == 404
