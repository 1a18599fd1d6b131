"""Between the controller's live state and a Scene (explorer.core.scene): what Save writes, what Open restores."""
from __future__ import annotations

import numpy as np

from explorer.core.scene import Camera, RunSpec, Scene
from explorer.ui.controller import DEFAULT_PARAMETER, Controller


def scene_of(c: Controller, camera: Camera | None = None, title: str = "", note: str = "") -> Scene:
    runs = tuple(RunSpec(config.method, dict(run.optimizer.settings()),
                         tuple(map(float, run.start)))
                 for config, run in zip(c.configs, c.runs))
    current = c.runs[0].position if c.runs else 0
    return Scene(expression=c.text,
                 parameters={n: float(v[0]) for n, v in c.parameters.items()},
                 parameter_ranges={n: (float(v[1]), float(v[2])) for n, v in c.parameters.items()},
                 x_range=tuple(map(float, c.x_range)), y_range=tuple(map(float, c.y_range)),
                 resolution=int(c.resolution), colouring=c.colouring, vertical_scale=float(c.vertical_scale),
                 log_scale=bool(c.log_scale), runs=runs, current_step=min(current, c.max_steps),
                 max_steps=int(c.max_steps), camera=camera, overlays=dict(c.overlays), title=title, note=note)


def apply_scene(c: Controller, scene: Scene) -> None:
    """Replace the controller's state by a scene that load_scene has already checked."""
    c.pause()
    c.x_range, c.y_range = tuple(scene.x_range), tuple(scene.y_range)
    c.resolution = int(scene.resolution)
    c.max_steps = int(scene.max_steps)
    c.colouring, c.vertical_scale, c.log_scale = scene.colouring, scene.vertical_scale, scene.log_scale
    c.overlays.update(scene.overlays)
    c.parameters = {}
    for name, value in scene.parameters.items():
        low, high = scene.parameter_ranges.get(name, DEFAULT_PARAMETER[1:])
        c.parameters[name] = [float(value), min(low, value), max(high, value)]
    c.configs = []
    if scene.runs:
        c.start = np.array(scene.runs[0].start, dtype=float)
    for spec in scene.runs:
        c.add_run(spec.method, spec.settings, spec.start)
    c.selected = 0
    c.set_expression(scene.expression)   # rebuilds the surface and the runs
    for _ in range(scene.current_step):
        if not c.step():
            break
    c.displayChanged.emit()
