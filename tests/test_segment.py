"""layout/place/segment.py: cutting with a dictionary of the text's own substrings gives
exactly jieba.cut's words (the whole dictionary loaded) on the issue's copy and on mixed text."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jieba
import pytest

from layout.place.segment import KNOWN_TOTALS, SmallSegmenter, _Dictionary, _total

ISSUE = Path(__file__).resolve().parent.parent / "issues" / "1640"


def _sample_texts() -> list[str]:
    """Headline-length pieces of 1640's copy (every file under the issue), cut at sentence
    ends and then into runs of at most 30 characters, plus mixed Latin/digit cases."""
    copy = "".join(p.read_text(encoding="utf-8") for p in sorted(ISSUE.rglob("*")) if p.is_file()
                   and p.suffix in (".yaml", ".md", ".txt"))
    pieces = [s.strip() for s in re.split(r"[。！？\n]", copy) if re.search(r"[\u4e00-\u9fff]", s)]
    texts = sorted({p[i:i + 30] for p in pieces for i in range(0, len(p), 30)})
    return texts + ["AT&T与B超之间的c#测试稿", "2026年12月2日 第1640期", "“三个年”活动——推进会召开"]


def test_the_sample_is_the_issue_copy():
    texts = _sample_texts()
    assert len(texts) > 100
    assert "向贡献者奋斗者领跑者致敬" in "".join(texts)


def test_same_cut_as_jieba():
    jieba.setLogLevel(60)
    small = SmallSegmenter()
    texts = _sample_texts()
    differ = [(t, small.cut(t)) for t in texts if small.cut(t) != [w for w in jieba.cut(t, HMM=True) if w]]
    assert differ == []


@pytest.mark.parametrize("text", ["", "。", "abc", "柯"])
def test_edge_texts(text):
    assert SmallSegmenter().cut(text) == [w for w in jieba.cut(text, HMM=True) if w]


def test_many_cuts_switch_to_the_whole_dictionary_with_the_same_words():
    small = SmallSegmenter()
    texts = [f"第{n}版稿件向贡献者致敬" for n in range(small.WHOLE_DICTIONARY_AFTER + 5)]
    assert [small.cut(t) for t in texts] == [[w for w in jieba.cut(t, HMM=True) if w] for t in texts]
    assert small.cuts == len(texts)


def test_dictionary_total_read_in_chunks_and_line_by_line():
    """dict.txt's total frequency (jieba's own, `total`) summed a chunk of split fields at a
    time, and line by line where a chunk holds a line of other than three fields."""
    jieba.setLogLevel(60)
    jieba.initialize()
    raw = (Path(jieba.__file__).parent / "dict.txt").read_bytes()
    assert _total(raw) == _total(raw, chunk=1000) == jieba.dt.total
    assert _total(b"a 1 n\nb 22\nc 3 x\n", chunk=4) == 26
    assert _total(b"a 1 n\n\nb 2 m") == 3


def test_known_dictionary_totals_are_the_sums():
    """A total taken from KNOWN_TOTALS (by the file's digest) is the one summing gives; the
    installed dictionary's total is the one the segmenter uses, known or summed."""
    raw = (Path(jieba.__file__).parent / "dict.txt").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest in KNOWN_TOTALS:
        assert KNOWN_TOTALS[digest] == _total(raw)
    assert _Dictionary().total == _total(raw)
