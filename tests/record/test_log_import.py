"""Catching up on the past from a spreadsheet: checked whole, shown, imported once."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from intake.clock import today
from intake.extensions import db
from intake.models import ContactEntry, Meeting, MeetingState
from tests.conftest import csrf_token

PAGE = "/p/alpha/contacts/import"
GOOD = (
    "kind;date;direction;channel;answer;summary;note;outcome\n"
    "contact;2023-01-05;we_wrote;email;;Sent the demands.;;\n"
    "contact;2023-03-01;he_wrote;letter;acknowledgement;He wrote back: received.;Says he got it.;\n"
    "meeting;2023-04-10;;;;;;missed\n"
)


def upload(client, content: bytes, name: str = "log.csv"):
    token = csrf_token(client, PAGE)
    data = {"csrf_token": token, "file": (io.BytesIO(content), name)}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def confirm(client, page: str):
    import html
    import re

    carried = html.unescape(re.search(r'name="rows" value="([^"]*)"', page).group(1))
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "rows": carried})


def counts(app) -> tuple[int, int]:
    with app.app_context():
        contacts = db.session.scalar(sa.select(sa.func.count(ContactEntry.id)))
        meetings = db.session.scalar(sa.select(sa.func.count(Meeting.id)))
        return contacts, meetings


def test_a_spreadsheet_is_shown_then_imported_once(app, kim):
    shown = upload(kim, GOOD.encode())
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "3 new rows" in page
    assert counts(app) == (0, 0)  # nothing stored before it is confirmed
    done = confirm(kim, page)
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    assert done.headers["Location"] == "/p/alpha/contacts"
    assert counts(app) == (2, 1)
    log = kim.get("/p/alpha/contacts").get_data(as_text=True)
    assert "<td>Email</td>" in log and "<td>Letter</td>" in log  # words, not codes
    with app.app_context():
        answer = db.session.scalar(sa.select(ContactEntry).filter_by(on=date(2023, 3, 1)))
        assert not answer.real_answer
        meeting = db.session.scalar(sa.select(Meeting))
        assert meeting.state is MeetingState.MISSED and meeting.starts_at.date() == date(
            2023, 4, 10
        )
    again = upload(kim, GOOD.encode()).get_data(as_text=True)
    assert "0 new rows; 3 were imported before" in again
    assert 'name="rows" value="kind' not in again  # nothing to import: no button for it
    assert counts(app) == (2, 1)


def test_one_wrong_row_stops_the_whole_file(app, kim):
    later = (today() + timedelta(days=5)).isoformat()
    bad = GOOD + (
        "contact;31/12/2023;we_wrote;;;x;;\n"
        f"contact;{later};we_wrote;;;x;;\n"
        "meeting;2023-05-01;;;;;;maybe\n"
    )
    refused = upload(kim, bad.encode())
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Nothing was imported" in page
    assert (
        "Row 5, column date: “31/12/2023” is not a day written as 2023-05-31 or 31.05.2023." in page
    )
    assert "Row 6, column date: that day is still to come." in page
    assert "Row 7, column outcome: “maybe” is not one of held, missed, cancelled." in page
    assert 'name="rows" value="kind' not in page  # no way to import it as it is
    assert counts(app) == (0, 0)


def test_a_spreadsheet_file_is_read_as_well(app, kim):
    book = Workbook()
    sheet = book.active
    sheet.append(["kind", "date", "direction", "summary"])
    sheet.append(["contact", date(2022, 9, 1), "we_wrote", "First letter."])
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(kim, buffer.getvalue(), "log.xlsx").get_data(as_text=True)
    assert "1 new rows" in page or "1 new row" in page
    confirm(kim, page)
    assert counts(app) == (1, 0)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "log.csv", "The file is empty."),
        (b"kind,when\ncontact,2023-01-01\n", "log.csv", "does not know: when"),
        ("kind,date\n".encode("utf-16"), "log.csv", "Save it as “CSV UTF-8”"),
        (b"not a workbook", "log.xlsx", "cannot be read as an XLSX spreadsheet"),
        (b"kind,date\n", "log.pdf", "Choose a .csv or .xlsx file."),
    ],
)
def test_files_that_cannot_be_read_are_explained(app, kim, content, name, message):
    refused = upload(kim, content, name)
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)


def test_rows_are_named_as_the_spreadsheet_numbers_them(app, kim):
    content = (
        "kind;date;direction;answer;summary;outcome\n"
        "\n"
        "contact;31.05.2023;we_wrote;;Sent it.;\n"  # the German way of writing a day
        "\n"
        "contact;2023-06-01;we_wrote;acknowledgement;x;\n"
        "meeting;2023-06-02;;;What he promised.;held\n"
        "contact;20230603;we_wrote;;x;\n"
    )
    page = upload(kim, content.encode()).get_data(as_text=True)
    assert "Row 3" not in page  # the day written 31.05.2023 is read, not refused
    assert "Row 5, column answer: only his messages are answers" in page
    assert "Row 6, column summary: a meeting row keeps no text" in page
    assert "Row 7, column date: “20230603” is not a day" in page
    assert counts(app) == (0, 0)


def test_the_same_file_confirmed_twice_at_once_is_stored_once(app, kim):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    page = upload(kim, GOOD.encode()).get_data(as_text=True)
    import html
    import re

    carried = html.unescape(re.search(r'name="rows" value="([^"]*)"', page).group(1))
    token = csrf_token(kim, PAGE)
    start = threading.Barrier(3)

    def send(_n):
        start.wait()
        return kim.post(PAGE, data={"csrf_token": token, "rows": carried}).status_code

    with ThreadPoolExecutor(3) as pool:
        assert all(s == 302 for s in pool.map(send, range(3)))
    assert counts(app) == (2, 1)
