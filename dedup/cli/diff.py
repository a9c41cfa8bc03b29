"""``dedup diff``: two articles side by side, their copied spans highlighted."""

from __future__ import annotations

import sys

import click

from ..diffview import build_diff, load_pair
from .base import (
    build_settings,
    cli,
    field_names,
    handle_errors,
    html_option,
    input_options,
    report_problems,
    settings_options,
    write_text,
)


@cli.command("diff")
@click.argument("args", nargs=-1, required=True, metavar="A B | SOURCE ID_A ID_B")
@click.option("--color/--no-color", default=None,
              help="Colour (rich) or plain markers; default: colour on a terminal unless NO_COLOR is set.")
@click.option("--width", type=click.IntRange(20), default=None, help="Columns to fit (default: the terminal's).")
@click.option("--layout", type=click.Choice(["auto", "side", "stack"]), default="auto", show_default=True,
              help="side: the texts side by side; stack: one after the other; auto: side by side from 100 columns.")
@html_option
@input_options
@settings_options
@handle_errors
def diff_cmd(args: tuple[str, ...], color: bool | None, width: int | None, layout: str, html_path: str | None,
             field_specs: tuple[str, ...], min_words: int | None, overrides: tuple[str, ...],
             wires: tuple[str, ...]) -> None:
    """Show two articles with their copied spans highlighted.

    Two files (A B), or two article ids from a JSONL file or folder (SOURCE ID_A ID_B,
    ids as the scan report names them).
    """
    from ..render_terminal import render, terminal_width, want_color

    settings = build_settings(min_words, overrides, wires)
    pair = load_pair(args, field_names(field_specs), settings)
    report_problems(pair.problems)
    diff = build_diff(pair.a, pair.b, settings, pair.marks_a, pair.marks_b)
    out = sys.stdout
    render(diff, out, color=want_color(color, out), width=terminal_width(width), layout=layout)
    if html_path:
        from ..render_html import diff_page

        write_text(html_path, diff_page(diff))
