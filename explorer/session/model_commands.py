"""The session's commands for fits of a network from the model library: switch to one, and change its model,
penalties, initial seed, split, standardisation, data, target or features at once (the model builder sends
all it holds).

A mixin of `Session` (explorer.session.model): every command goes through `Session._apply`, so it is named,
undoable and on the one timeline. A network fit has no typed loss (its "expression" is "") and no sliders;
its trained parameters are the network's flat labels (W1[0,0], ..., core.network), two of them on the
map's axes (by default two of the last layer: core.model_scene.default_axes). Starts that were the network's
initial θ follow a new network or seed; other starts keep their values while the layout is the same.
"""
from __future__ import annotations

from dataclasses import replace

from explorer.core.fit_scene import DataSpec, FitSetupError, FitSpec, initial_theta
from explorer.core.model_scene import MODEL_VIEW_NAMES, NetworkSpec, build_model, default_axes
from explorer.core.network import ModelError
from explorer.core.run_spec import RunSpec
from explorer.session.errors import FitCommandError, SessionError
from explorer.session.fit_commands import AXIS_RANGE, column_names
from explorer.session.model_reading import ModelReadings
from explorer.session.sharpness_reading import SharpnessReadings
from explorer.session.sensitivity_reading import SensitivityReadings

MODEL_FIT = dict(test_fraction=0.3, method="adam", settings={"lr": 0.05}, max_steps=300)


class ModelCommands(ModelReadings, SharpnessReadings, SensitivityReadings):
    def start_model_fit(self, dataset: str = "moons", model: str = "mlp:4:tanh") -> None:
        """Switch to a network fit of a built-in dataset: 30 % of the rows held out, one Adam run (lr 0.05) from
        the network's initial θ, at most 300 steps."""
        d = MODEL_FIT
        spec = self._network_spec(FitSpec(DataSpec(dataset, 0), (), ("", ""),
                                          network=NetworkSpec(model, test_fraction=d["test_fraction"])))
        start = initial_theta(spec)
        new = replace(self.setup, text="", fit=spec, parameters={}, x_range=AXIS_RANGE, y_range=AXIS_RANGE,
                      default_start=start, gradient_field=False, lens=None, max_steps=d["max_steps"],
                      runs=(RunSpec(d["method"], dict(d["settings"]), start),), title="", note="",
                      overlays=dict(self.setup.overlays, basins=False))
        self._apply("Fit a model", new)

    def set_model_view(self, name: str) -> bool:
        """Show `name` (core.model_scene.MODEL_VIEW_NAMES) in a network fit's model pane, as one command.
        False: it is on show already."""
        fit = self.setup.fit
        if fit is None or fit.network is None:
            raise SessionError("the model pane's views belong to a model fit (Fit → New model fit)")
        if name not in MODEL_VIEW_NAMES:
            raise SessionError(f"the model pane shows {', '.join(MODEL_VIEW_NAMES)}, not '{name}'")
        if fit.view == name:
            return False
        self._apply(f"Show the {name}", replace(self.setup, fit=replace(fit, view=name)))
        return True

    def set_network(self, network: NetworkSpec | None = None, data: DataSpec | None = None, target=None,
                    features=None) -> bool:
        """Change the network (model, penalties, init seed, split, standardisation), the data, the target
        column and the feature columns ('A, B' or a list; '' for either: the default, Y and the other columns)
        at once, as one command; a typed fit becomes a network fit. False: nothing changed."""
        old = self.fit_spec
        network = network or old.network or NetworkSpec()
        data = old.data if data is None else data
        if target is None:
            target = old.target if old.network is not None else None
        else:
            target = target.strip() or None
        features = (old.features if old.network is not None else ()) if features is None else column_names(features)
        if data != old.data:   # columns of other data: chosen again unless the new data has them
            try:
                columns = self._build.dataset(data).columns
            except FitSetupError as err:
                raise FitCommandError(err.field, str(err)) from None
            target = target if target in columns else None
            features = features if set(features) <= set(columns) else ()
        spec = self._network_spec(replace(old, data=data, target=target, features=features, network=network,
                                          model="", residual=False))
        if spec == old:
            return False
        changed = [what for what, a, b in (("the data", spec.data, old.data),
                                            ("the model", spec.network and spec.network.model,
                                             old.network and old.network.model),
                                            ("the penalties", spec.network and (spec.network.l2, spec.network.l1),
                                             old.network and (old.network.l2, old.network.l1)),
                                            ("the split", spec.network and spec.network.test_fraction,
                                             old.network and old.network.test_fraction),
                                            ("the target", spec.target, old.target),
                                            ("the features", spec.features, old.features)) if a != b]
        name = ("Change " + ", ".join(changed) if len(changed) > 1 else
                "Change " + changed[0] if changed else "Change the network")
        self._apply_network(name, spec, old)
        return True

    # ---------------------------------------------------------------- inside
    def _network_spec(self, spec: FitSpec) -> FitSpec:
        """`spec` with the network's labels, target, features and axes filled in (FitCommandError naming the part
        at fault)."""
        try:
            problem = build_model(spec.network, self._build.dataset(spec.data), spec.target, spec.features)
        except FitSetupError as err:
            raise FitCommandError(err.field, str(err)) from None
        except ModelError as err:
            raise FitCommandError({"params": "model"}.get(err.part, err.part), str(err)) from None
        kept = spec.trained == problem.trained and set(spec.axes) <= set(problem.trained)   # the same layout
        axes = spec.axes if kept and spec.axes[0] != spec.axes[1] else default_axes(problem)
        held = spec.held if spec.held is not None and len(spec.held) == problem.dimension else None
        return replace(spec, trained=problem.trained, target=problem.target, features=problem.features,
                       axes=tuple(axes), held=held)

    def _apply_network(self, name: str, spec: FitSpec, old: FitSpec, merge: str | None = None) -> None:
        """Apply a network fit: starts that were the old initial θ (or of another layout) start at the new one."""
        setup = self.setup
        start = initial_theta(spec)
        before = initial_theta(old) if old.network is not None else None
        same_layout = spec.trained == old.trained

        def moved(values):
            values = tuple(float(v) for v in values)
            return values if same_layout and values != before else start

        windows = dict(zip(old.axes, (setup.x_range, setup.y_range)))
        if spec.directions is not None:   # a plane of directions keeps its ±span whatever the axes
            windows = dict.fromkeys(spec.axes, setup.x_range) | {spec.axes[1]: setup.y_range}
        new = replace(setup, text="", fit=spec, parameters={}, runs=tuple(replace(r, start=moved(r.start))
                                                                          for r in setup.runs),
                      default_start=moved(setup.default_start), x_range=windows.get(spec.axes[0], AXIS_RANGE),
                      y_range=windows.get(spec.axes[1], AXIS_RANGE),
                      title=setup.title if spec.problem_key() == old.problem_key() else "",
                      note=setup.note if spec.problem_key() == old.problem_key() else "")
        self._apply(name, new, merge=merge)
