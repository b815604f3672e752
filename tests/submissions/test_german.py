"""Forms speak the reader's language, built-in validation messages included."""

from tests.conftest import submit


def test_form_and_its_errors_in_german(client, auth, group) -> None:
    auth.login("kim")
    submit(client, "/language", {"lang": "de", "next": "/"})
    page = client.get("/p/alpha/submissions/new/contact").get_data(as_text=True)
    assert "Eintrag im Kontaktprotokoll" in page
    assert "Entwurf speichern" in page
    response = submit(
        client,
        "/p/alpha/submissions/new/contact",
        {"date": "kein Datum", "channel": "taube", "_action": "submit"},
    )
    page = response.get_data(as_text=True)
    assert "Es gibt ein Problem" in page
    assert "Diese Frage braucht eine Antwort." in page
    assert "Not a valid" not in page
