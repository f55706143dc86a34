"""The root of the command line: German help and errors, one error handler, exit codes.

Exit codes: 0 success, 1 bad data or configuration, 2 usage error.
Heavy libraries (pandas, openpyxl) are imported inside the commands, never here.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from .. import __version__
from ..errors import SozialraumError, printable
from . import aggregate, audit, compare, districts, export, index, locate, map, mapping_cmd, profile, schemes, site, trend

# German labels for typer's rich help, set when help is first drawn (rich_utils costs ~45 ms to import)
_RICH_LABELS = {
    "ARGUMENTS_PANEL_TITLE": "Argumente",
    "OPTIONS_PANEL_TITLE": "Optionen",
    "COMMANDS_PANEL_TITLE": "Befehle",
    "ERRORS_PANEL_TITLE": "Fehler",
    "DEFAULT_STRING": "[Standard: {}]",
    "REQUIRED_LONG_STRING": "[erforderlich]",
    "ENVVAR_STRING": "[Umgebungsvariable: {}]",
    "ABORTED_TEXT": "Abgebrochen.",
    "RICH_HELP": "Hilfe: [blue]{command_path} {help_option}[/]",
}


def _german_rich_labels() -> None:
    from typer import rich_utils

    for name, text in _RICH_LABELS.items():
        setattr(rich_utils, name, text)

# typer shows Python type names (<bool>, <path>, <list[Path]>) beside each parameter; users read
# German: flags and arguments show none, options show their German metavar or their choices
if hasattr(TyperOption, "display_type_rich"):  # typer >= 0.25; older typer shows no type names for these
    _option_type = TyperOption.display_type_rich
    TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else _option_type(self, ctx)  # type: ignore[method-assign]
    TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

_USAGE_PIECES = {"[OPTIONS]": "[OPTIONEN]", "COMMAND [ARGS]...": "BEFEHL [ARGUMENTE]..."}

# click's English usage errors, in German
_USAGE_ERRORS = [
    (r"No such option: (\S+?)(?: Did you mean (\S+?)\?)?$", lambda m: f"Unbekannte Option {m[1]}." + (f" Gemeint ist vielleicht {m[2]}." if m[2] else "")),
    (r"No such option: (\S+?) \(Possible options: (.*)\)$", lambda m: f"Unbekannte Option {m[1]}. Möglich: {m[2]}."),
    # click >= 8.2 (typer < 0.25) quotes the names
    (r"No such option '(\S+?)'\.?(?: Did you mean '(\S+?)'\?)?$",
     lambda m: f"Unbekannte Option {m[1]}." + (f" Gemeint ist vielleicht {m[2]}." if m[2] else "")),
    (r"No such option '(\S+?)'\.? \(Did you mean one of: (.*)\?\)$",
     lambda m: f"Unbekannte Option {m[1]}. Gemeint ist vielleicht eine davon: {_hint(m[2])}."),
    (r"Missing argument '(.+?)'\.?$", lambda m: f"Das Argument {_hint(m[1])} fehlt."),
    (r"Missing option '(.+?)'\.?$", lambda m: f"Die Option {_hint(m[1])} fehlt."),
    (r"Missing command\.?$", lambda m: "Bitte einen Befehl angeben."),
    # click: "… Did you mean 'aggregate'?" or "… Did you mean 'mapping', 'map'? (Did you mean one of: 'map', 'mapping'?)"
    (r"No such command '(.+?)'\.?(.*)$", lambda m: f"Den Befehl „{m[1]}“ gibt es nicht." + _did_you_mean(m[2])),
    (r"Option '(.+?)' requires an argument\.?$", lambda m: f"Die Option {m[1]} braucht einen Wert."),
    (r"Option '(.+?)' does not take a value\.?$", lambda m: f"Die Option {m[1]} nimmt keinen Wert."),
    (r"Got unexpected extra arguments? \((.*)\)$", lambda m: f"Unerwartete zusätzliche Angabe: {m[1]}."),
    (
        r"Invalid value for (.+?): (?:Value error, )?'(.*?)' is not one of (.*)\.$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: „{m[2]}“. Erlaubt: {m[3].replace(chr(39), '')}.",
    ),
    (
        r"Invalid value for (.+?): (?:Value error, )?'(.*?)' is not a valid integer\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: „{m[2]}“ ist keine ganze Zahl; erwartet wird eine ganze Zahl.",
    ),
    (
        r"Invalid value for (.+?): Input should be a valid (integer|number).*$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: erwartet wird eine {'ganze ' if m[2] == 'integer' else ''}Zahl.",
    ),
    (
        r"Invalid value for (.+?): (?:Value error, )?'?(.*?)'? is not in the range x>=(\S+?)\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: {m[2]} ist zu klein; erlaubt ist mindestens {m[3]}.",
    ),
    (
        r"Invalid value for (.+?): (?:Value error, )?'?(.*?)'? is not in the range x<=(\S+?)\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: {m[2]} ist zu groß; erlaubt ist höchstens {m[3]}.",
    ),
    (
        r"Invalid value for (.+?): (?:Value error, )?'?(.*?)'? is not in the range (\S+?)<=x<=(\S+?)\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: {m[2]} liegt nicht zwischen {m[3]} und {m[4]}.",
    ),
    (
        r"Invalid value for (.+?): (?:Value error, )?'(.*?)' is not a valid (?:integer range|float range|float)\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: „{m[2]}“ ist keine Zahl.",
    ),
    (
        r"Invalid value for (.+?): (?:File|Path|Directory) '(.*?)' does not exist\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: „{m[2]}“ gibt es nicht.",
    ),
    (
        r"Invalid value for (.+?): (?:File|Path) '(.*?)' is a directory\.?$",
        lambda m: f"Ungültiger Wert für {_hint(m[1])}: „{m[2]}“ ist ein Ordner, keine Datei.",
    ),
    (r"Invalid value for (.+?): (.*)$", lambda m: f"Ungültiger Wert für {_hint(m[1])}: {m[2]}"),
]


def _usage_piece(m: re.Match) -> str:
    """'{DATEI}' -> 'DATEI'; '{DATEI...}...' -> 'DATEI...'; '[DATEI...]...' -> '[DATEI...]'."""
    inner = m[2] if m[2].endswith("...") else m[2] + (m[3] or "")
    return f"[{inner}]" if m[1] == "[" else inner


def _did_you_mean(text: str) -> str:
    names = list(dict.fromkeys(re.findall(r"'([^']+)'", text)))
    if not names:
        return ""
    listed = " oder ".join(f"„{n}“" for n in names) if len(names) <= 2 else (
        ", ".join(f"„{n}“" for n in names[:-1]) + f" oder „{names[-1]}“")
    return f" Gemeint ist vielleicht {listed}."


def _hint(text: str) -> str:
    return text.replace("'", "").replace(" / ", "/")


# the core names its parameters, the command line its flags: one table, per command where they differ
_FLAGS = {
    "jahr": "--year", "jahre": "--years", "merkmal": "--value", "merkmale": "--value", "sortierung": "--sort",
    "schema": "--scheme", "symbole": "--symbol", "von": "--years", "bis": "--years", "verschiebungen": "--move",
    "zaehlungen": "--count", "summen": "--sum", "code_spalte": "--code-column", "lat": "--lat", "lon": "--lon",
    "x": "--x", "y": "--y", "crs": "--crs", "kategorie": "--category", "indikatoren": "--indicator",
    "aenderung_von": "--change", "aenderung_bis": "--change", "raum": "--area", "format": "--format",
    "daten": "DATEI", "zuordnung_b": "--config-b", "min_count": "--min-count", "blatt": "--sheet",
    "kopfzeile": "--header-row",
}
_COMMAND_FLAGS = {
    "compare": {"schema": "SCHEMA_A/SCHEMA_B", "merkmale": "--value"},
    "index": {"merkmal": "--indicator", "merkmale": "--indicator", "jahre": "--change"},
    "map": {"merkmal": "--value/--rate", "merkmale": "--value/--rate"},
    "locate": {"merkmal": "--population-value", "merkmale": "--population-value"},
}


def flag_for(parameter: str | tuple[str, ...], command: str | None) -> str:
    """The flag(s) of a core parameter in a command: "jahr" -> "--year"; ("jahr", "jahre") -> "--year/--years"."""
    names = (parameter,) if isinstance(parameter, str) else parameter
    table = {**_FLAGS, **_COMMAND_FLAGS.get(command or "", {})}
    return "/".join(dict.fromkeys(table.get(n, n) for n in names))


def _called_command(args: Any) -> str | None:
    names = {name for _, name in _COMMANDS} | {"mapping"}
    return next((a for a in (sys.argv[1:] if args is None else args) if a in names), None)


def german_usage_error(message: str) -> str:
    for pattern, translate in _USAGE_ERRORS:
        m = re.match(pattern, message.strip(), re.S)
        if m:
            return translate(m)
    return message


class _GermanHelp:
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _german_rich_labels()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = [_USAGE_PIECES.get(p, p) for p in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        pieces = [re.sub(r"^([{\[])(.*?)[}\]](\.\.\.)?$", _usage_piece, p) for p in pieces]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Aufruf: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Diese Hilfe anzeigen und beenden."
        return option


class Command(_GermanHelp, TyperCommand):
    pass


class Group(_GermanHelp, TyperGroup):
    """Runs click in non-standalone mode and handles every way out itself."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            import contextlib

            with contextlib.redirect_stdout(sys.stderr):  # rich draws the help on stdout; here it answers a wrong call
                ctx.get_help()
            ctx.exit(2)
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        try:  # typer >= 0.20 bundles its own click
            from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
        except ImportError:  # pragma: no cover - older typer on top of click
            from click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # type: ignore
        from typer import Abort

        from ..output import reset_inputs

        reset_inputs()
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError:  # the help is on stderr already (parse_args)
            sys.exit(2)
        except UsageError as exc:
            print(f"Fehler: {printable(german_usage_error(exc.format_message()))}", file=sys.stderr)
            if exc.ctx is not None:
                print(f"Hilfe: {exc.ctx.command_path} --help", file=sys.stderr)
            sys.exit(2)
        except SozialraumError as exc:
            if getattr(exc, "parameter", None):
                command = _called_command(args)
                exc.flag = flag_for(exc.parameter, command)
                exc.siehe_flags = [flag_for(p, command) for p in getattr(exc, "siehe", ())]
            if _state["debug"]:
                import traceback

                traceback.print_exc()
            print(f"Fehler: {printable(str(exc))}", file=sys.stderr)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            print(f"Fehler: {exc.format_message()}", file=sys.stderr)
            sys.exit(exc.exit_code)
        except (Abort, KeyboardInterrupt):
            print("Abgebrochen.", file=sys.stderr)
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(1)
        except OSError as exc:  # e.g. stdout on a full disk or closed: files of ours name themselves in their errors
            from ..sources import os_reason

            print(f"Fehler: Schreiben oder Lesen ist fehlgeschlagen ({os_reason(exc)}).", file=sys.stderr)
            sys.exit(1)
        except Exception as exc:  # a bug, not the user's fault
            if _state["debug"]:
                import traceback

                traceback.print_exc()
            print(
                f"Interner Fehler ({type(exc).__name__}: {printable(str(exc))}). Mit --debug erscheinen die Details; "
                "bitte mit Aufruf und Eingabedatei melden.",
                file=sys.stderr,
            )
            sys.exit(1)
        if rv == 130:  # typer turns Ctrl-C into this exit code, silently
            print("Abgebrochen.", file=sys.stderr)
        sys.exit(rv if isinstance(rv, int) else 0)


_state = {"debug": False}

_APP_SETTINGS: dict[str, Any] = dict(
    cls=Group,
    name="sozialraum",
    help="Bezirksstatistiken der Stadt Jena zu Sozialräumen und Planungsräumen zusammenfassen.",
    epilog="Beispiel: sozialraum aggregate data/raw/beispiel_2021.csv --scheme planungsraeume",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        print(f"sozialraum {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Version anzeigen und beenden."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Bei Fehlern den vollständigen Traceback zeigen.")] = False,
) -> None:
    """Bezirksstatistiken der Stadt Jena zu Sozialräumen und Planungsräumen zusammenfassen."""
    _state["debug"] = debug


_COMMANDS = (
    (aggregate, "aggregate"),
    (compare, "compare"),
    (export, "export"),
    (trend, "trend"),
    (index, "index"),
    (map, "map"),
    (locate, "locate"),
    (profile, "profile"),
    (site, "site"),
    (schemes, "schemes"),
    (districts, "districts"),
    (audit, "audit"),
)


_MAPPING_HELP = "Zuordnung aus einer Liste erzeugen (import) oder prüfen (check)."


def _register(target: typer.Typer, names: set[str] | None = None, stubs: bool = False) -> typer.Typer:
    """The commands on an app: all, only `names`, or (stubs) each as its name and help text without options."""
    target.callback()(root)
    for module, name in _COMMANDS:
        if names is None or name in names:
            command = getattr(module, name)
            if stubs:  # the overview lists names and help texts only: typer need not read any signature
                target.command(name=name, cls=Command, epilog=module.EPILOG, help=inspect.getdoc(command))(_stub)
            else:
                target.command(name=name, cls=Command, epilog=module.EPILOG)(command)
    if stubs:  # its two subcommands' options are read only when it is called
        target.command(name="mapping", cls=Command, help=_MAPPING_HELP)(_stub)
    elif names is None or "mapping" in names:
        settings = {k: v for k, v in _APP_SETTINGS.items() if k not in ("name", "help", "epilog")}
        target.add_typer(mapping_cmd.sub_app(settings, Command), name="mapping", help=_MAPPING_HELP)
    return target


def _stub() -> None:  # pragma: no cover - never called: a command name on the line gets the real app
    raise AssertionError("stub command called")


_register(app)


def main() -> None:
    """Run the command line (the console script adds its start and exit around this: cli.main)."""
    # typer builds a click command for every registered command on each start (~30 ms for all ten):
    # a call of one command gets an app with only that command (same help, messages and exit codes)
    # and a call without any command name (--help, --version, a typo) gets the commands as stubs
    names = {name for _, name in _COMMANDS} | {"mapping"}
    called = sys.argv[1] if len(sys.argv) > 1 else ""
    if called in names:
        _register(typer.Typer(**_APP_SETTINGS), {called})()
    elif not names & set(sys.argv[1:]):
        _register(typer.Typer(**_APP_SETTINGS), stubs=True)()
    else:
        app()
