"""The command line: `landscape-explorer [inspect|grid|...]`. Errors: one line on stderr, exit 2."""
from __future__ import annotations

import sys

import numpy as np

from explorer import __version__
from explorer.allocator import keep_freed_memory
from explorer.cli import export, grid, inspect, run
from explorer.cli.arguments import Parser, UsageError, protect_negatives
from explorer.core.expression import ERRORS
from explorer.core.files import error_line
from explorer.core.scene import SceneError
from explorer.core.syntax_hints import ExpressionError
from explorer.export import ExportError

COMMANDS = (inspect, grid, run, export)
COMMAND_NAMES = {"inspect", "grid", "run", "export"}


def build_parser() -> Parser:
    parser = Parser(prog="landscape-explorer",
                    description="See what gradients, Jacobians and Hessians do.")
    parser.add_argument("--version", action="version", version=f"landscape-explorer {__version__}")
    parser.add_argument("--expr", metavar="EXPR", help="open the window on this function")
    parser.add_argument("--screenshot", metavar="FILE.png", help="open the window, save a PNG of it, exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def option_strings(parser) -> set[str]:
    found = set(parser._option_string_actions)
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for sub in getattr(action, "choices", {}).values():
            found |= option_strings(sub)
    return found


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    keep_freed_memory()
    parser = build_parser()
    # `landscape-explorer SCENE.json` opens a scene: take it out before argparse sees the sub-commands
    scene = next((a for a in argv if a.endswith(".json") and not a.startswith("-")), None)
    if scene is not None and not any(a in COMMAND_NAMES for a in argv):
        argv.remove(scene)
    else:
        scene = None
    try:
        args = parser.parse_args(protect_negatives(argv, option_strings(parser)))
        if args.command is None:
            from explorer.ui.app import run_gui
            if args.screenshot and not args.screenshot.strip().lower().endswith(".png"):
                raise UsageError(f"--screenshot must name a .png file; got '{args.screenshot.strip()}'")
            return run_gui(args.expr.strip() if args.expr else None,
                           args.screenshot.strip() if args.screenshot else None, scene)
        # one error policy for all a command computes (optimizers too): inf and nan are results, not warnings
        with np.errstate(**ERRORS):
            return args.run(args)
    except (UsageError, ExpressionError, SceneError, ExportError) as err:
        print(f"landscape-explorer: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short: not an error
        sys.stdout = None
        return 0
    except OSError as err:  # a file that cannot be read or written: which one and why, no traceback
        print(f"landscape-explorer: error: {error_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("landscape-explorer: interrupted", file=sys.stderr)
        return 130
