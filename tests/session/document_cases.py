"""Documents saved through the session, one per case: the bytes a scene file gets (test_document_bytes).

Each case builds a session the way a person gets one (a preset opened and stepped, a file with keys
missing, a new window, a command-line export's scene) and returns the JSON text it saves. The expected
texts in data/documents.json were written by the writer before the session and the scene shared one
document model; `python -m tests.session.document_cases --write` writes them again.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from explorer.core.preset_library import preset_paths
from explorer.core.scene import Camera, load_scene, scene_from_json, scene_to_json
from explorer.session import Session

EXPECTED = Path(__file__).with_name("data") / "documents.json"
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"   # the function a new window opens on
CAMERA = Camera(9.5, 31.0, -62.5, (0.25, -0.5, 1.5))

# files that leave out every key they may: each opens with the reading rule's defaults
SPARSE = {
    "sparse-surface": {"expression": "x^2 + 3*y^2"},
    "sparse-surface-run": {"expression": "a*x^2 + y^2", "parameters": {"a": 7.5},
                           "runs": [{"method": "gd", "start": [1, 1]}]},
    "sparse-field": {"expression": "(x^2 - y, x + y)", "runs": [{"method": "newton", "start": [0.5, 0.5]}]},
    "sparse-gradient-field": {"expression": "x^2 - y^2", "gradient_field": True},
    "sparse-fit": {"expression": "(w*X + b - Y)^2",
                   "fit": {"data": {"dataset": "line", "seed": 0}, "train": ["w", "b"], "axes": ["w", "b"]},
                   "runs": [{"method": "gd", "settings": {"lr": 0.05}, "start": [0, 0]}]},
    "sparse-loss-plot": {"expression": "x^2 + y^2", "loss_plot": {"log": True},
                         "runs": [{"method": "momentum", "start": [2, -1]}], "max_steps": 30, "current_step": 4},
}


def _saved(session: Session) -> str:
    return scene_to_json(session.scene())


def _sparse(data: dict) -> str:
    return _saved(Session.from_scene(scene_from_json(json.dumps({"format_version": 1, **data}))))


def sparse_as_read(data: dict) -> str:
    """The file's own scene written back, without a session."""
    return scene_to_json(scene_from_json(json.dumps({"format_version": 1, **data})))


def _sparse_then(data: dict, change) -> str:
    """A file with keys missing, opened, then changed by a command: what the session filled in shows."""
    session = Session.from_scene(scene_from_json(json.dumps({"format_version": 1, **data})))
    change(session)
    return _saved(session)


def _stepped(path: Path) -> str:
    """A preset stepped along, its last run selected, a camera turned: all of it saved."""
    session = Session.from_scene(load_scene(path))
    session.jump(7, None)
    session.select(len(session.runs) - 1)
    return scene_to_json(session.scene(CAMERA))


def _new_window() -> str:
    session = Session()
    session.set_expression(ROSENBROCK)
    session.add_run("gd", {"lr": 1e-3})
    session.add_run("newton")
    return _saved(session)


def _colourings_remembered() -> str:
    """A surface's colouring and a field's are kept apart: each comes back with its kind."""
    session = Session()
    session.set_expression("x^2 + y^2")
    session.set_display(colouring="height", field_height="v")
    session.set_expression("(x, x*y)")
    session.set_display(colouring="stretch")
    first = _saved(session)
    session.set_expression("x^2 - y^2")
    return first + _saved(session)


def _export_arguments(*words: str) -> str:
    """The scene `landscape-explorer export WORDS --out x.gif` renders."""
    from explorer.cli import build_parser
    from explorer.cli.export import scene_from_arguments
    return scene_to_json(scene_from_arguments(build_parser().parse_args(["export", *words, "--out", "x.gif"])))


def cases() -> dict[str, object]:
    """name -> a function of nothing that returns the saved text."""
    out: dict[str, object] = {}
    for path in preset_paths():
        out[f"stepped {path.stem}"] = lambda path=path: _stepped(path)
    for name, data in SPARSE.items():
        out[name] = lambda data=data: _sparse(data)
    out["sparse-field, then a surface"] = lambda: _sparse_then(SPARSE["sparse-field"],
                                                                lambda s: s.set_expression("x^2 + y^2"))
    out["sparse-surface-run, then a run added"] = lambda: _sparse_then(SPARSE["sparse-surface-run"],
                                                                        lambda s: s.add_run("newton"))
    out["sparse-fit, then a run added"] = lambda: _sparse_then(SPARSE["sparse-fit"], lambda s: s.add_run("adam"))
    out["sparse-surface, then a run added"] = lambda: _sparse_then(SPARSE["sparse-surface"],
                                                                    lambda s: s.add_run("bfgs"))
    out["new window"] = _new_window
    out["colourings remembered"] = _colourings_remembered
    out["export EXPR"] = lambda: _export_arguments("x^2 + 4*y^2", "--method", "gd,adam")
    out["export FIELD"] = lambda: _export_arguments("(x - y, x*y - 1)")
    return out


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    EXPECTED.write_text(json.dumps({name: make() for name, make in cases().items()}, indent=1, ensure_ascii=False)
                        + "\n", encoding="utf-8")
