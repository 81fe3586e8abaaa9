"""Line-based differences between two texts, for revision history and edit conflicts."""

import difflib
from dataclasses import dataclass


@dataclass
class Line:
    kind: str  # "same", "added", "removed", "skip"
    text: str


def line_diff(before, after, context=3):
    """The lines that changed from ``before`` to ``after``, with a little context; [] when equal."""
    old, new = (before or "").splitlines(), (after or "").splitlines()
    if old == new:
        return []
    lines = []
    for group in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(Line("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line("same", text) for text in old[i1:i2])
                continue
            if tag in {"replace", "delete"}:
                lines.extend(Line("removed", text) for text in old[i1:i2])
            if tag in {"replace", "insert"}:
                lines.extend(Line("added", text) for text in new[j1:j2])
    return lines
