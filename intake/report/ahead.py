"""WeasyPrint made ready in a child process while ``intake report`` reads the records.

Importing WeasyPrint and parsing the report's stylesheet take over a second, about
as long as building the app and assembling a report; one after the other, the
command took twice as long as WeasyPrint alone printing the same HTML. The
command starts this child before it builds the app, so both go on at once on a
machine with two cores, then hands it the HTML and writes the PDF it sends back.

The child is forked before the app is built: nothing but the command line has run
in this process yet (no thread, no database connection) that a fork could copy in
a bad state. It renders with the same code as the app (``intake.report.pdf``).
Anything going wrong in the child only costs the time: the command then renders
in its own process, as it does when nothing was started ahead.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from multiprocessing.connection import Connection, wait

_started: Renderer | None = None


class Renderer:
    """A child with WeasyPrint imported, waiting for one report's HTML."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._child = context.Process(
            target=_serve, args=(theirs, self._connection), name="intake-renderer", daemon=True
        )
        self._child.start()
        theirs.close()

    def pdf(self, html: str) -> bytes | None:
        """The PDF of this HTML, or None if the child could not make it."""
        try:
            self._connection.send(html)
            made, pdf = self._connection.recv()
        except (EOFError, OSError):
            made, pdf = False, None
        finally:
            self._connection.close()
            self._child.join()
        return pdf if made else None


def _serve(connection: Connection, commands_end: Connection) -> None:
    # The fork copied the command's end of the pipe too: closed here, so that the
    # command's end going away (the command ended or was killed) is seen as one.
    commands_end.close()
    from intake.report.pdf import pdf_of, prepare_renderer

    try:
        prepare_renderer()
        # Like the render worker's child: the collector need not walk what the
        # imports made, which makes the render itself faster.
        gc.freeze()
        # Wait for the HTML or for the command to be gone, however it ended (even
        # killed, when no exit handler of its ran): never wait on after it.
        parent = multiprocessing.parent_process()
        waited_on = [connection] + ([parent.sentinel] if parent is not None else [])
        if connection not in wait(waited_on):
            return
        html = connection.recv()
        made: tuple[bool, bytes | None] = (True, pdf_of(html))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the command ended without a render (an error, Ctrl-C): nothing to say
    except Exception:  # the command renders it itself, and shows any error there
        made = (False, None)
    with contextlib.suppress(OSError):  # the command may have gone meanwhile
        connection.send(made)


def start() -> None:
    """Start the child, for the next ``take`` in this process."""
    global _started  # one child per command, started before the app exists
    try:
        _started = Renderer()
    except (OSError, ValueError):  # no fork here, or no process to spare: render in ours
        _started = None


def take() -> Renderer | None:
    """The child started for this command, if any; it renders one report."""
    global _started
    renderer, _started = _started, None
    return renderer
