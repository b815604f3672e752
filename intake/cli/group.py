"""The ``intake`` command as Flask runs it: the app's commands loaded when used."""

from __future__ import annotations

import gc
from gettext import gettext as clicks_words
from importlib import import_module
from typing import TYPE_CHECKING, Any

import click
from flask.cli import FlaskGroup, ScriptInfo

from intake.cli import COMMANDS, HELP, Entry, described

if TYPE_CHECKING:
    from flask import Flask


class Deferred(click.Command):
    """Stands in the app's commands for one of ``COMMANDS``; its module is imported when it
    is used. The context is made by the real command, so its options, arguments, help and
    subcommands are exactly the real command's."""

    def __init__(self, name: str, entry: Entry) -> None:
        super().__init__(name, help=entry.help)
        self.entry = entry

    def command(self) -> click.Command:
        found: click.Command = getattr(import_module(self.entry.module), self.entry.attribute)
        return found

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self.command().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        return self.command().invoke(ctx)

    def __getattr__(self, name: str) -> Any:
        # What a stand-in lacks is the real command's: a group's ``commands``, for one.
        if name == "entry" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.command(), name)


def _create_app() -> Flask:
    return _built(pages=True)


def _create_app_without_pages() -> Flask:
    return _built(pages=False)


def _built(*, pages: bool) -> Flask:
    from intake import create_app

    # Building the app makes a great many objects that live as long as the command;
    # the collector would walk them again and again meanwhile, for nothing (about a
    # tenth of `intake report`'s time). Afterwards they are left out of its walks.
    gc.disable()
    try:
        return create_app(pages=pages)
    finally:
        gc.freeze()
        gc.enable()


class IntakeGroup(FlaskGroup):
    """Flask's group, listing the app's commands without building the app."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted({*self.commands, *described()})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As click's own, but the app's commands are described from the table: showing
        # them must not build the app.
        texts = described()
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=texts[name])
            if not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _command in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            # Click's own word through click's own lookup, not a text of the app's catalogue.
            with formatter.section(clicks_words("Commands")):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        entry = COMMANDS.get(args[0]) if args else None
        asks_for_help = any(arg in ctx.help_option_names for arg in args[1:])
        if entry and entry.before_app and not asks_for_help and not ctx.resilient_parsing:
            module, function = entry.before_app.split(":")
            getattr(import_module(module), function)()
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is not None and not entry.needs_pages:
            info = ctx.ensure_object(ScriptInfo)
            if info.create_app is _create_app and info._loaded_app is None:
                info.create_app = _create_app_without_pages
        return super().get_command(ctx, name)


cli = IntakeGroup(
    name="intake",
    create_app=_create_app,
    add_version_option=False,
    help=HELP,
)
