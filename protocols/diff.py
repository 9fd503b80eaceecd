"""What changed between two versions: sections added, removed and moved; blocks and words.

A body is compared block by block (paragraphs and list items of the Markdown subset the
bodies use), then word by word inside the blocks that changed, so the diff keeps the text's
structure. Pure functions over (heading, body) pairs, tested without a database.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["unchanged", "changed", "added", "removed"]
_TOKEN = re.compile(r"\S+|\s+")


@dataclass
class Change:
    """A run of words that stayed, was inserted or was deleted."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass
class Block:
    """A paragraph ("p") or a list item ("ul", "ol") and how it changed."""

    tag: Literal["p", "ul", "ol"]
    op: Literal["equal", "changed", "insert", "delete"]
    changes: list[Change]


@dataclass
class Group:
    """What a template renders as one element: a paragraph, or a list of consecutive items."""

    tag: Literal["p", "ul", "ol"]
    blocks: list[Block]


@dataclass
class SectionDiff:
    heading: str
    kind: Kind
    moved: bool = False
    heading_changes: list[Change] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def body_changes(self) -> list[Change]:
        return [change for block in self.blocks for change in block.changes]

    @property
    def groups(self) -> list[Group]:
        groups: list[Group] = []
        for block in self.blocks:
            if block.tag != "p" and groups and groups[-1].tag == block.tag:
                groups[-1].blocks.append(block)
            else:
                groups.append(Group(block.tag, [block]))
        return groups

    @property
    def words_added(self) -> int:
        return _count(self.heading_changes + self.body_changes, "insert")

    @property
    def words_removed(self) -> int:
        return _count(self.heading_changes + self.body_changes, "delete")


def _count(changes: list[Change], op: str) -> int:
    return sum(len(c.text.split()) for c in changes if c.op == op)


# Above this many comparisons (words of old × words of new) difflib's exact matching takes
# seconds on repetitive text, so words that occur very often stop anchoring a match there.
EXACT_LIMIT = 1_000_000
_SENTENCE_END = (".", "!", "?", ";", ":")


def _sentences(words: list[str]) -> list[tuple[str, ...]]:
    """Words grouped into sentences, each ending at a word that ends one."""
    sentences, current = [], []
    for word in words:
        current.append(word)
        if word.endswith(_SENTENCE_END):
            sentences.append(tuple(current))
            current = []
    if current:
        sentences.append(tuple(current))
    return sentences


def _opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    exact = len(a) * len(b) <= EXACT_LIMIT
    return difflib.SequenceMatcher(a=a, b=b, autojunk=not exact).get_opcodes()


def _add(changes: list[Change], op: str, words: list[str]) -> None:
    """Append a run of words, joining it to the previous run when that has the same op."""
    if not words:
        return
    if changes and changes[-1].op == op:
        changes[-1].text += " " + " ".join(words)
    else:
        changes.append(Change(op, " ".join(words)))


def _word_changes(changes: list[Change], a: list[str], b: list[str]) -> None:
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            _add(changes, "equal", a[i1:i2])
            continue
        _add(changes, "delete", a[i1:i2])
        _add(changes, "insert", b[j1:j2])


def word_diff(old: str, new: str) -> list[Change]:
    """Word-level changes turning `old` into `new`; whitespace differences are ignored.

    Sentences are compared first and words only within the sentences that changed, so two long
    texts compare in a fraction of a second instead of growing quadratically with their length.
    """
    a, b = _sentences(old.split()), _sentences(new.split())
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        old_words = [word for sentence in a[i1:i2] for word in sentence]
        new_words = [word for sentence in b[j1:j2] for word in sentence]
        if tag == "equal":
            _add(changes, "equal", old_words)
        else:
            _word_changes(changes, old_words, new_words)
    return changes


_LIST_ITEM = re.compile(r"^\s{0,3}(?:(?P<ul>[-*+])|(?P<ol>\d{1,9})[.)])(?:\s+|$)")


def blocks(body: str) -> list[tuple[str, str]]:
    """`body` as (tag, text) blocks: paragraphs "p" and list items "ul"/"ol", markers dropped.

    Blank lines end a block; a line starting with "-", "*", "+" or "1." starts a list item;
    other lines continue the block they follow. Whitespace inside a block is normalised.
    """
    found: list[tuple[str, list[str]]] = []
    open_block = False
    for line in body.splitlines():
        if not line.strip():
            open_block = False
            continue
        item = _LIST_ITEM.match(line)
        if item:
            found.append(("ul" if item.group("ul") else "ol", [line[item.end() :]]))
        elif open_block:
            found[-1][1].append(line)
        else:
            found.append(("p", [line]))
        open_block = True
    return [(tag, " ".join(" ".join(lines).split())) for tag, lines in found]


def _whole(tag: str, op: str, text: str) -> Block:
    return Block(tag, op, [Change(op, text)] if text else [])


def block_diff(old: str, new: str) -> list[Block]:
    """Blocks of `new` with the changes from `old`: whole blocks first, then words inside.

    Removed blocks stand where they stood. Changed blocks are paired in order within a run of
    changes, so an edited list item stays one item with its words marked.
    """
    a, b = blocks(old), blocks(new)
    result: list[Block] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            result.extend(_whole(t, "equal", text) for t, text in b[j1:j2])
            continue
        olds, news = a[i1:i2], b[j1:j2]
        paired = min(len(olds), len(news))
        for (_old_tag, old_text), (new_tag, new_text) in zip(olds, news, strict=False):
            result.append(Block(new_tag, "changed", word_diff(old_text, new_text)))
        result.extend(_whole(t, "delete", text) for t, text in olds[paired:])
        result.extend(_whole(t, "insert", text) for t, text in news[paired:])
    return result


def _match(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> dict[int, int]:
    """Pair new sections with old ones: same heading first (in order), then same body."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for key in (0, 1):  # 0: heading, 1: body
        for j, section in enumerate(new):
            if j in pairs or not section[key].strip():
                continue
            for i, candidate in enumerate(old):
                if i not in taken and candidate[key].strip() == section[key].strip():
                    pairs[j] = i
                    taken.add(i)
                    break
    return pairs


def _moved(order: list[int]) -> set[int]:
    """Old indices that are out of order: everything outside a longest increasing run."""
    if not order:
        return set()
    best = [1] * len(order)
    previous = [-1] * len(order)
    for k in range(len(order)):
        for m in range(k):
            if order[m] < order[k] and best[m] + 1 > best[k]:
                best[k], previous[k] = best[m] + 1, m
    k = max(range(len(order)), key=best.__getitem__)
    kept = set()
    while k != -1:
        kept.add(order[k])
        k = previous[k]
    return set(order) - kept


def diff_sections(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> list[SectionDiff]:
    """Compare two versions given as (heading, body) lists, in the new version's order.

    Removed sections are listed where they stood in the old version.
    """
    pairs = _match(old, new)
    moved = _moved([pairs[j] for j in range(len(new)) if j in pairs])
    result: list[SectionDiff] = []
    removed = [i for i in range(len(old)) if i not in pairs.values()]
    for j, (heading, body) in enumerate(new):
        # A removed section goes where it stood: before the next kept section that followed it.
        following = next((pairs[k] for k in range(j, len(new)) if k in pairs), len(old))
        while removed and removed[0] < following:
            i = removed.pop(0)
            result.append(SectionDiff(old[i][0], "removed", blocks=block_diff(old[i][1], "")))
        if j not in pairs:
            result.append(SectionDiff(heading, "added", blocks=block_diff("", body)))
            continue
        i = pairs[j]
        heading_changes = word_diff(old[i][0], heading)
        body_blocks = block_diff(old[i][1], body)
        changed = any(c.op != "equal" for c in heading_changes) or any(
            block.op != "equal" for block in body_blocks
        )
        result.append(
            SectionDiff(
                heading,
                "changed" if changed else "unchanged",
                moved=i in moved,
                heading_changes=heading_changes if changed else [],
                blocks=body_blocks,
            )
        )
    for i in removed:
        result.append(SectionDiff(old[i][0], "removed", blocks=block_diff(old[i][1], "")))
    return result


def diff_versions(old, new) -> list[SectionDiff]:
    """Compare the board text of two protocol versions (school addenda aside)."""

    def board_text(version) -> list[tuple[str, str]]:
        return [(s.heading, s.body) for s in version.sections.all() if s.school_id is None]

    return diff_sections(board_text(old), board_text(new))
