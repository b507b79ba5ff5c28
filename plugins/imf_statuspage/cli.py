"""``imf statuspage build`` and ``imf statuspage serve``."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

import imf
from imf_statuspage.messages import translate


def _help_language() -> str:
    """The language of help texts: ``--lang`` on the command line, else ``IMF_LANG``."""
    args = sys.argv[1:]
    value = os.environ.get("IMF_LANG", "")
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    code = value.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in ("en", "ru") else "en"


def _help(key: str) -> str:
    return translate(f"statuspage.help.{key}", _help_language())


def _settings(app: Any) -> tuple[str, Any]:
    """This plugin's name and validated config in ``app``; errors when it is not enabled or
    has no static backend."""
    import imf_statuspage

    name = next((n for n in app.host.names() if app.host.plugin(n) is imf_statuspage), "statuspage")
    settings = app.plugin_configs.get(name)
    if settings is None:
        raise imf.UsageError("statuspage.not_active")
    if settings.static is None:
        raise imf.UsageError("statuspage.no_static")
    return name, settings


@click.group("statuspage", help=_help("group"))
def statuspage() -> None:
    """Status page commands."""


@statuspage.command("build", help=_help("build"))
@click.option("--json", "as_json", is_flag=True, help=_help("json"))
@click.pass_obj
def build(app: Any, as_json: bool) -> None:
    """Regenerate the static page from the store."""
    from imf_statuspage import static

    name, settings = _settings(app)
    summary = static.build(app, name, settings.static)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(translate("statuspage.built", app.lang, **summary))


@statuspage.command("serve", help=_help("serve"))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=_help("port")
)
@click.option("--build", "rebuild", is_flag=True, help=_help("rebuild"))
@click.pass_obj
def serve(app: Any, port: int, rebuild: bool) -> None:
    """Serve the static page on loopback until interrupted."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from imf_statuspage import static

    name, settings = _settings(app)
    if rebuild:
        static.build(app, name, settings.static)
    directory = static.output_dir(settings.static)
    if not (directory / "index.html").is_file():
        raise imf.UsageError("statuspage.not_built", path=directory)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(directory))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise imf.UsageError(
            "statuspage.cannot_listen", port=port, reason=exc.strerror or str(exc)
        ) from None
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    click.echo(translate("statuspage.serving", app.lang, path=Path(directory), url=url))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
