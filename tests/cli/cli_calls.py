"""The command line called in-process, as its tests call it: output, one-line refusals, strict JSON."""
import json

from explorer.cli import main

PREFIX = "landscape-explorer: error: "


def output(capsys, *argv) -> str:
    """What the command prints; it must succeed."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def error(capsys, *argv) -> str:
    """The command's refusal: exit 2, nothing printed, one line on stderr (returned without its prefix)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(PREFIX)
    return err.strip()[len(PREFIX):]


def strict_json(text):
    """json.loads that refuses NaN, Infinity and -Infinity, as strict parsers do."""
    def refuse(constant):
        raise ValueError(f"{constant} is not standard JSON")
    return json.loads(text, parse_constant=refuse)
