"""Test-only references: finite differences (never used by the product)."""
import numpy as np


def fd_gradient(f, p, h=1e-6):
    p = np.asarray(p, float)
    g = np.zeros_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h
        g[i] = (f(p + e) - f(p - e)) / (2 * h)
    return g


def fd_hessian(grad, p, h=1e-5):
    """Central differences of an exact gradient: column i is (g(p + h e_i) - g(p - h e_i)) / 2h."""
    p = np.asarray(p, float)
    cols = []
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h
        cols.append((grad(p + e) - grad(p - e)) / (2 * h))
    return np.array(cols).T


def gui_modules_loaded_by(statement: str) -> list[str]:
    """Run `statement` in a fresh interpreter; the Qt, pyqtgraph and OpenGL modules it loaded."""
    import subprocess
    import sys
    import json
    code = (f"import json, sys\n{statement}\n"
            "print(json.dumps([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'OpenGL')]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
