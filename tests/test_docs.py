"""The README documents every command and option a user can reach."""

from pathlib import Path

import click
import pytest

from dedup.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path, cmd", list(commands(cli)), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help_and_is_in_the_readme(path, cmd):
    assert cmd.help, f"dedup {' '.join(path)} has no help text"
    assert f"dedup {' '.join(path)}" in README


def test_every_setting_is_in_the_readme():
    from dataclasses import fields

    from dedup.settings import Settings
    for f in fields(Settings):
        assert f"`{f.name}`" in README, f.name


def test_the_readme_starts_with_install_and_test_commands():
    block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block[0].startswith("pip install . && dedup scan samples/")
    assert "python -m pytest" in block[1]


def test_the_screenshots_the_readme_shows_are_in_docs():
    import re

    root = Path(__file__).resolve().parent.parent
    shown = re.findall(r"!\[[^\]]*\]\((docs/[^)]+)\)", README)
    assert {"docs/story-view.png", "docs/outlet-view.png", "docs/pair-view.png"} <= set(shown)
    for name in shown:
        assert (root / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_every_test_the_readme_names_for_a_guarantee_exists():
    import re

    root = Path(__file__).resolve().parent
    named = re.findall(r"`tests/(test_\w+\.py)(?:::(\w+))?`", README)
    assert len(named) >= 15
    for module, test in named:
        source = (root / module).read_text(encoding="utf-8")
        assert not test or f"def {test}(" in source, f"{module}::{test}"
