"""Serving the game to a class: ``python -m simlib.classroom serve`` (what ``make classroom`` runs).

It makes a new game (or reopens one by its code) in a games folder, prints the two codes (the
*game code* the teams type, and the *instructor code* that alone closes rounds) and the pages'
addresses, and hands over to Voila, which serves ``classroom-team.ipynb`` and
``classroom-instructor.ipynb`` (:mod:`simlib.dashboards.classroom`), one kernel per page. It listens
on 127.0.0.1 unless told otherwise: with ``--host 0.0.0.0`` anyone on the class network can
open the pages and join as a team.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

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
    for name in ("classroom-team.ipynb", "classroom-instructor.ipynb"):
        shutil.copyfile(Path(args.pages) / name, pages / name)
    s = game.settings
    shown = _address(args.host)
    base = f"http://{shown}:{args.port}/voila/render"
    print(
        f"Classroom game {s.code}: {s.scenario.name}, {s.rounds} rounds, seed {s.seed}\n"
        f"  teams:      {base}/classroom-team.ipynb?game={s.code}  game code:       {s.code}\n"
        f"  instructor: {base}/classroom-instructor.ipynb instructor code: {s.instructor_code}\n"
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
    env = dict(os.environ, SIMLIB_CLASSROOM_DIR=str(directory))
    command = [
        sys.executable, "-m", "voila", "--no-browser", f"--port={args.port}", f"--Voila.ip={args.host}",
        f"--Voila.root_dir={pages}", "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=60", *voila_args,
    ]  # fmt: skip
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover
