"""Headline segmentation with jieba's own dictionary, loaded only for the texts at hand.

jieba's first cut loads its whole prefix dictionary (350k words and every prefix of them, a
9 MB marshal cache or, on a new machine, a build from dict.txt): 0.76 s and ~100 MB of a cold
render of 1640, for a handful of headlines.  jieba's dynamic programme only ever looks up
substrings of the sentence it cuts (the DAG of words starting at each character, their
frequencies, and the dictionary's total), so a prefix dictionary holding just the substrings
of our texts that are in the full one gives the same cut.  It is built from dict.txt in one
pass that skips words whose first character none of the texts has.  tests/test_segment.py
compares it with jieba.cut on the issue's headlines and generated ones.
"""
from __future__ import annotations

import hashlib
import os
import re
from typing import Iterable

#: jieba's longest dictionary words are well under this; longer substrings are never looked up.
_MAX_WORD = 32

#: A run of dict.txt's lines with one first character (each line ends with a newline).
_RUN = re.compile(r"^(.)[^\n]*\n(?:\1[^\n]*\n)*", re.M)

#: dict.txt's total frequency by the file's sha256 (jieba 0.42.1's dictionary): summing its
#: 350k counts was 0.15 s of a first render on a new machine, hashing the file takes 4 ms.
#: Any other dictionary is summed (_total); tests/test_segment.py sums this one and compares.
KNOWN_TOTALS = {"7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8": 60101967}


def _substrings(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + _MAX_WORD) + 1):
                out.add(text[start:end])
    return out


def _jieba():
    """jieba, imported without pkg_resources: jieba._compat imports it (setuptools' resource
    API, ~170 ms of a cold render) only to open jieba's own data files, and opens them by
    path when the import fails. pkg_resources stays importable for anyone else afterwards."""
    import sys
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None      # (an import of it raises ImportError)
    try:
        import jieba
    finally:
        if absent:
            del sys.modules["pkg_resources"]
    return jieba


def _total(raw: bytes, chunk: int = 1 << 19) -> int:
    """The sum of dict.txt's frequencies ("word frequency tag" a line), split in C a chunk
    of lines at a time (the whole file's million fields at once held 35 MB more at the peak
    of a first render); a chunk whose lines are not all of three fields is read line by line."""
    total, start = 0, 0
    while start < len(raw):
        end = raw.find(b"\n", start + chunk)
        end = len(raw) if end < 0 else end + 1
        part = raw[start:end]
        fields = part.split()
        counts = fields[1::3]
        lines = part.count(b"\n") + (not part.endswith(b"\n"))
        if len(fields) == 3 * lines and all(map(bytes.isdigit, counts)):
            total += sum(map(int, counts))
        else:
            total += sum(int(line.split(b" ", 2)[1]) for line in part.splitlines() if line.strip())
        start = end
    return total


class _Dictionary:
    """jieba's dict.txt, read once: its total frequency and where its lines of each first
    character stand (the text, ~10 MB, and spans into it, against jieba's full prefix
    dictionary's ~100)."""

    def __init__(self) -> None:
        path = os.path.join(os.path.dirname(_jieba().__file__), "dict.txt")
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        self.text = text if text.endswith("\n") else text + "\n"
        # The file holds each first character's words together, nearly all in one run: the
        # runs found by one regular expression in C (0.05 s; the 350k lines split and grouped
        # in Python took 0.15 s and 30 MB more at the peak of a first render on a new machine)
        self.runs: dict[str, list[tuple[int, int]]] = {}
        for run in _RUN.finditer(self.text):
            self.runs.setdefault(run.group(1), []).append(run.span())
        # ... and the total of the frequencies, every second of three fields a line
        known = KNOWN_TOTALS.get(hashlib.sha256(raw).hexdigest())
        self.total = known if known is not None else _total(raw)

    def lines(self, first: str) -> Iterable[str]:
        """dict.txt's lines whose word starts with `first`, in the file's order."""
        for start, end in self.runs.get(first, ()):
            yield from self.text[start:end - 1].split("\n")

    def prefix_dict(self, text: str) -> dict[str, int]:
        """FREQ as jieba.Tokenizer.gen_pfdict makes it, restricted to the substrings of
        text: a word's last frequency, 0 for a prefix that is not a word."""
        wanted = _substrings([text])
        freq: dict[str, int] = {}
        for first in set(text):
            for line in self.lines(first):
                word, count = line.split(" ", 2)[:2]
                if word in wanted:
                    freq[word] = int(count)
                for end in range(1, len(word)):
                    prefix = word[:end]
                    if prefix not in wanted:
                        break
                    freq.setdefault(prefix, 0)
        return freq


class SmallSegmenter:
    """jieba.cut(text, HMM=True), empty pieces dropped, without loading jieba's whole
    prefix dictionary: each cut gets a dictionary of its own substrings.  Past
    WHOLE_DICTIONARY_AFTER cuts in one process (a 999-page issue, a big test issue) the whole
    dictionary is cheaper than a small one per text and jieba's own is used: same words."""

    WHOLE_DICTIONARY_AFTER = 48

    def __init__(self) -> None:
        self._dictionary: _Dictionary | None = None
        self.cuts = 0

    def cut(self, text: str) -> list[str]:
        jieba = _jieba()
        jieba.setLogLevel(60)
        self.cuts += 1
        if self.cuts > self.WHOLE_DICTIONARY_AFTER:
            return [t for t in jieba.cut(text, HMM=True) if t]
        if self._dictionary is None:
            self._dictionary = _Dictionary()
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = self._dictionary.prefix_dict(text)
        tokenizer.total = self._dictionary.total
        tokenizer.initialized = True
        return [t for t in tokenizer.cut(text, HMM=True) if t]
