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

import os
from typing import Iterable

#: jieba's longest dictionary words are well under this; longer substrings are never looked up.
_MAX_WORD = 32


def _substrings(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + _MAX_WORD) + 1):
                out.add(text[start:end])
    return out


class _Dictionary:
    """jieba's dict.txt, read once: its total frequency and its lines by first character
    (a few tens of MB, against jieba's full prefix dictionary's ~100)."""

    def __init__(self) -> None:
        import jieba
        path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8").splitlines()
        self.by_first: dict[str, list[str]] = {}
        total = 0
        # the loop that matters: 350k lines, each parsed for the total and filed once
        for line in lines:
            total += int(line.split(" ", 2)[1])
            self.by_first.setdefault(line[0], []).append(line)
        self.total = total

    def prefix_dict(self, text: str) -> dict[str, int]:
        """FREQ as jieba.Tokenizer.gen_pfdict makes it, restricted to the substrings of
        text: a word's last frequency, 0 for a prefix that is not a word."""
        wanted = _substrings([text])
        freq: dict[str, int] = {}
        for first in set(text):
            for line in self.by_first.get(first, ()):
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
        import jieba
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
