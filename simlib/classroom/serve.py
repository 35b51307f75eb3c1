"""Serving the game to a class: ``python -m simlib.classroom serve`` (what ``make classroom`` runs).

It makes a new game (or reopens one by its code) in a games folder, prints the two codes (the
*game code* the teams type, and the *instructor code* that alone closes rounds) and the pages'
addresses, and serves, in this one process, one tornado application: Voila's, with the
instructor's console ``classroom-instructor.ipynb`` (:mod:`simlib.dashboards.classroom`, one
kernel), and beside it the team page and its JSON API (:mod:`.web`, no kernel). The console
opens the game printed here (``$SIMLIB_CLASSROOM_GAME``). It listens on 127.0.0.1 unless told
otherwise: with ``--host 0.0.0.0`` anyone on the class network can open the pages and join as
a team. Errors go to the log (stderr) with their cause.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simlib.classroom.game import create_game
from simlib.classroom.storage import GameFileError, Store, game_path, instructor_code, new_game_code

__all__ = ["main"]


def _address(host: str) -> str:
    """The address to give the class: this machine's address on its network when listening on all."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # sends nothing: only picks the outgoing interface
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m simlib.classroom serve``: make (or reopen) a game, print its codes, run Voila."""
    import argparse
    import shutil

    parser = argparse.ArgumentParser(prog="python -m simlib.classroom", description="Serve the classroom game.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="make a game (or reopen one), print the codes, serve the pages")
    serve.add_argument("--dir", default="games", help="the folder of the game files (default: games)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0: every network)")
    serve.add_argument("--port", type=int, default=8867)
    serve.add_argument("--game", default="", help="the code of a game to reopen (default: a new game)")
    serve.add_argument("--scenario", default="service-desk")
    serve.add_argument("--rounds", type=int, default=4)
    serve.add_argument("--seed", type=int, default=None, help="the game's seed (default: a random one)")
    serve.add_argument("--pages", default="notebooks", help="the folder with classroom-*.ipynb")
    serve.add_argument("--dry-run", action="store_true", help="make the game and print, but do not serve")
    args, voila_args = parser.parse_known_args(argv)

    directory = Path(args.dir).resolve()
    code_i = instructor_code(directory)
    try:
        if args.game:
            game = Store.open(game_path(directory, args.game))
        else:
            seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
            while True:
                code = new_game_code()
                if not game_path(directory, code).exists():
                    break
            game = create_game(
                game_path(directory, code), args.scenario, rounds=args.rounds, seed=seed, code=code,
                instructor_code=code_i,
            )  # fmt: skip
    except (ValueError, GameFileError) as err:
        print(f"classroom: {err}", file=sys.stderr)
        return 2
    pages = directory / "pages"
    pages.mkdir(exist_ok=True)
    shutil.copyfile(Path(args.pages) / "classroom-instructor.ipynb", pages / "classroom-instructor.ipynb")
    with contextlib.suppress(FileNotFoundError):  # the kernel-per-team page of earlier versions
        (pages / "classroom-team.ipynb").unlink()
    s = game.settings
    shown = _address(args.host)
    base = f"http://{shown}:{args.port}"
    print(
        f"Classroom game {s.code}: {s.scenario.name}, {s.rounds} rounds, seed {s.seed}\n"
        f"  teams:      {base}/team?game={s.code}  game code:       {s.code}\n"
        f"  instructor: {base}/voila/render/classroom-instructor.ipynb instructor code: {s.instructor_code}\n"
        f"  game file:  {game.path}",
        flush=True,
    )
    if args.host not in ("127.0.0.1", "localhost"):
        print(
            "  listening on every network: anyone who can reach this machine can open the pages and join as a "
            "team; only the instructor code closes rounds",
            flush=True,
        )
    game.close()
    if args.dry_run:
        return 0
    os.environ["SIMLIB_CLASSROOM_DIR"] = str(directory)  # the console's kernel inherits these
    os.environ["SIMLIB_CLASSROOM_GAME"] = s.code
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s %(name)s] %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.WARNING)  # not every poll of every team page
    from simlib.classroom.advice import Preparer
    from simlib.i18n import language

    Preparer(game.path).start()  # works out the debrief while the rounds run: ready when the last one closes
    app = _voila_app(directory, language())
    app.initialize([
        "--no-browser", f"--port={args.port}", "--Voila.port_retries=0", f"--Voila.ip={args.host}",
        f"--Voila.root_dir={pages}", "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=60", *voila_args,
    ])  # fmt: skip
    app.start()
    return 0


def _voila_app(directory: Path, lang: str) -> Any:
    """Voila's application with the team page's routes in front of its own."""
    from voila.app import Voila

    from simlib.classroom.web import handlers

    class ClassroomServer(Voila):
        name = "simlib-classroom"

        def init_handlers(self) -> list:
            return handlers(directory, lang) + super().init_handlers()

    return ClassroomServer()
