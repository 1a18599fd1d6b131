"""`inspect --model ... --params FILE.json --spectrum [K]`: the loss Hessian's and Gauss–Newton's spectra.

    landscape-explorer inspect --dataset moons --model mlp:8 --params trained.json --spectrum --json

Every eigenvalue, ascending, when the model has at most 1,000 parameters; else the K smallest and the
K largest (K default 20) by Lanczos on Hessian-vector products (core.model_curvature). Also the singular
values of the Jacobian Gauss–Newton is made of (the residuals' for a regression, the whitened logits' for
a classifier: eig(G) = (2/n)σ² or (1/n)σ² without the penalty), descending, where it is small enough to form.
"""
from __future__ import annotations

from typing import Any

from explorer.cli.arguments import UsageError, whole_number
from explorer.core.model_curvature import (SPECTRUM_DENSE_LIMIT, SPECTRUM_K, residual_jacobian_singular_values,
                                           spectrum)
from explorer.core.model_fit import ModelProblem

MAX_K = 500
_KEYS = ("hessian_eigenvalues", "gauss_newton_eigenvalues", "condition_number", "negative_count", "complete",
         "lambda_min", "lambda_max", "hessian_residuals", "gauss_newton_residuals", "hessian_converged",
         "gauss_newton_converged", "converged", "products")


def add_options(parser) -> None:
    parser.add_argument("--spectrum", metavar="K", nargs="?", const=str(SPECTRUM_K),
                        help=f"with --model and --params: the loss Hessian's and Gauss–Newton's eigenvalues, all "
                             f"up to {SPECTRUM_DENSE_LIMIT:,} parameters, else the K smallest and K largest "
                             f"(default {SPECTRUM_K})")


def refuse_without_model(args) -> None:
    """--spectrum is a model's: a one-line refusal elsewhere."""
    if getattr(args, "spectrum", None) is not None:
        raise UsageError("--spectrum goes with --model SPEC and --params FILE.json (a model's loss Hessian)")


def fields(args, problem: ModelProblem, theta) -> dict[str, Any]:
    """The JSON fields --spectrum adds ({} without it)."""
    if getattr(args, "spectrum", None) is None:
        return {}
    k = whole_number(args.spectrum, "--spectrum", 1, MAX_K)
    found = spectrum(problem, theta, k=k)
    out = {key: found[key] for key in _KEYS if key in found}
    out["gauss_newton"] = {key: found["gauss_newton"][key] for key in ("lambda_min", "lambda_max",
                                                                       "condition_number", "negative_count")}
    sigma, why_not = residual_jacobian_singular_values(problem, theta)
    out["jacobian_singular_values"] = None if sigma is None else sigma.tolist()   # descending
    if why_not:
        out["jacobian_note"] = why_not
    return out


def lines(out: dict[str, Any]) -> list[str]:
    """The plain-text lines for the fields of `fields` (none without them)."""
    if "hessian_eigenvalues" not in out:
        return []
    if out["lambda_max"] is None:
        return ["Hessian spectrum: not computed (the loss or its derivatives are not finite at these parameters)"]
    complete = out["complete"]
    count = len(out["hessian_eigenvalues"])
    which = (f"all {count} eigenvalues" if complete
             else f"the {count // 2} smallest and {count // 2} largest eigenvalues by Lanczos "
                  f"({out['products']} products, {sum(out['hessian_converged'])} of {count} converged)")
    at_least = "" if complete else "at least "
    condition = out["condition_number"]
    result = [f"Hessian spectrum ({which}):",
              f"  λmin = {out['lambda_min']:.6g}, λmax = {out['lambda_max']:.6g}, condition number = "
              + (f"{condition:.4g}" if condition is not None else "indefinite (λmin ≤ 0)"),
              f"  negative directions: {at_least}{out['negative_count']}",
              f"  smallest: {_few(out['hessian_eigenvalues'][:5])}",
              f"  largest: {_few(out['hessian_eigenvalues'][-5:])}"]
    g = out["gauss_newton"]
    if g["lambda_max"] is None:
        return result
    result += [f"Gauss–Newton spectrum: λmin = {g['lambda_min']:.6g}, λmax = {g['lambda_max']:.6g}",
               f"  largest: {_few(out['gauss_newton_eigenvalues'][-5:])}"]
    sigma = out.get("jacobian_singular_values")
    result.append(f"Jacobian's singular values (largest): {_few(sigma[:5])}" if sigma is not None
                  else out.get("jacobian_note", ""))
    return result


def _few(values) -> str:
    return ", ".join(f"{v:.4g}" for v in values)
