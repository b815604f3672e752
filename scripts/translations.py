"""Keep the German catalogue in step with the code.

python scripts/translations.py update   # extract messages, merge into de/messages.po
python scripts/translations.py missing  # list messages without a German text (exit 1 if any)
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "intake" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"


def extract(pot: Path = POT) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            "--omit-header",
            "--sort-output",
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )


def update() -> None:
    extract()
    command = "update" if PO.exists() else "init"
    args = [
        sys.executable,
        "-m",
        "babel.messages.frontend",
        command,
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "-l",
        "de",
        "--no-wrap",
    ]
    if command == "update":
        args.append("--ignore-obsolete")
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603


def missing() -> list[str]:
    """Messages in the code with no German text, whether or not the catalogue lists them."""
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot"
        extract(pot)
        with pot.open("rb") as handle:
            in_code = [(m.id, m.context) for m in read_po(handle) if m.id]

    def untranslated(msgid, context) -> bool:
        message = catalog.get(msgid, context=context)
        if message is None:
            return True
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        return not all(texts) or message.fuzzy

    return [msgid for msgid, context in in_code if untranslated(msgid, context)]


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    gaps = missing()
    for msgid in gaps:
        print(f"no German text: {msgid!r}")
    sys.exit(1 if gaps else 0)
