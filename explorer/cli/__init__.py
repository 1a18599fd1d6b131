"""The command line: `landscape-explorer [inspect|grid|...]`. Errors: one line on stderr, exit 2."""
from __future__ import annotations

import sys

import numpy as np

from explorer import __version__
from explorer.allocator import keep_freed_memory
from explorer.cli import basins, dataset_command, export, grid, inspect, presets, run, sweep
from explorer.cli.arguments import Parser, UsageError, protect_negatives, say_warnings
from explorer.core.expression import ERRORS
from explorer.core.files import error_line
from explorer.core.preset_library import UnknownScene, scene_file
from explorer.core.scene import SceneError
from explorer.core.syntax_hints import ExpressionError
from explorer.ui.app import WindowArgumentError, add_window_options, open_window   # light: Qt loads in run_gui
from explorer.ui.export.checks import ExportError

COMMANDS = (inspect, grid, run, sweep, dataset_command, basins, export, presets)
COMMAND_NAMES = ("inspect", "grid", "run", "sweep", "dataset", "basins", "export", "presets")
WINDOW_VALUE_OPTIONS = ("--expr", "--screenshot", "--scene")


def build_parser() -> Parser:
    parser = Parser(prog="landscape-explorer",
                    description="See what gradients, Jacobians and Hessians do. Without a COMMAND: open the "
                                "window, on a scene if one is named (`landscape-explorer lesson.json`, or a "
                                "lecture preset: `landscape-explorer rosenbrock`).")
    parser.add_argument("--version", action="version", version=f"landscape-explorer {__version__}")
    add_window_options(parser)
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


def window_scene_argument(argv: list[str]) -> str | None:
    """`landscape-explorer SCENE.json` or `landscape-explorer PRESET` opens a scene: the first word that
    is neither an option, an option's value nor a command. Taken out of argv before argparse sees the
    sub-commands; None when there is none or a sub-command comes first."""
    skip = False
    for i, token in enumerate(argv):
        if skip:
            skip = False
        elif token in WINDOW_VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            if token in COMMAND_NAMES:
                return None
            del argv[i]
            return token
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    say_warnings(False)   # none left from an earlier call in this process
    keep_freed_memory()
    parser = build_parser()
    scene = window_scene_argument(argv)
    try:
        args = parser.parse_args(protect_negatives(argv, option_strings(parser)))
        if args.command is None:
            return open_window(args, scene, COMMAND_NAMES)
        if getattr(args, "scene", None):   # export --scene FILE-or-PRESET
            args.scene = scene_file(args.scene)
        # one error policy for all a command computes (optimizers too): inf and nan are results, not warnings
        with np.errstate(**ERRORS):
            code = args.run(args)
        say_warnings(code == 0)
        return code
    except (UsageError, WindowArgumentError, UnknownScene, ExpressionError, SceneError, ExportError) as err:
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
