"""Caches kept per Metrics object: advances, built pieces, prepared paragraphs, results.

Placement sets the same paragraph at several measures, and the same one again at the
same measure; what does not depend on the call is kept here, keyed by the Metrics
object (a font set), and ``clear_caches()`` forgets it all.
"""
from __future__ import annotations

class MetricsCache:
    __slots__ = ("adv", "pieces", "skeys", "paras", "results", "max_results", "breaks", "kept", "kept_set",
                 "files", "__weakref__")

    def __init__(self, kept=None):
        self.adv: dict = {}         # font -> char -> advance (em); (font, size) -> char -> pt
        self.pieces: dict = {}
        self.skeys: dict = {}
        self.paras: dict = {}       # measure-free part of a Para (see Para.__init__)
        self.results: dict = {}     # whole compose() results (see compose)
        self.max_results = MAX_RESULTS
        self.breaks: dict = {}      # (notes, breaks) by compose() key (paragraph.count_lines)
        # kept.py: breaks and set lines from earlier runs (None: not for this Metrics object)
        self.kept, self.kept_set = kept or (None, None)
        # the placement's caches on disk, read once for this font set (place/textset.py: Setter;
        # the proof server keeps its font set, and with it these, across its layouts)
        self.files: dict = {}


_CACHES: dict[int, tuple[object, MetricsCache]] = {}
# prepared paragraphs / results kept per Metrics object, the oldest dropped first (a
# prepared paragraph takes about 0.4 KB a character; placement's repeats come soon)
MAX_PARAS = 64
MAX_RESULTS = 4096
MAX_BREAKS = 65536     # breaks are a few numbers a line: every paragraph of a big issue


def cache_for(metrics) -> MetricsCache:
    ent = _CACHES.get(id(metrics))
    if ent is not None and ent[0] is metrics:
        return ent[1]
    if len(_CACHES) > 32:
        _CACHES.clear()
    from .kept import stores_for
    mc = MetricsCache(stores_for(metrics))
    _CACHES[id(metrics)] = (metrics, mc)
    return mc


def keep_results(metrics, limit: int) -> None:
    """Keep up to `limit` composed paragraphs for `metrics`: a process that lays the same issue
    out again and again (the proof server) keeps every paragraph of it at every measure tried,
    so an edit composes only the paragraphs it touched."""
    mc = cache_for(metrics)
    mc.max_results = max(mc.max_results, limit)


def remember(memo: dict, key, value, limit: int) -> None:
    if len(memo) >= limit:
        del memo[next(iter(memo))]
    memo[key] = value


def save_compositions(metrics) -> None:
    """Write the breaks and lines this process found for `metrics` to the cache directory
    (kept.py), for the next run."""
    ent = _CACHES.get(id(metrics))
    if ent is not None and ent[0] is metrics and ent[1].kept is not None:
        ent[1].kept.save()
        ent[1].kept_set.save()


def clear_caches() -> None:
    """Forget cached advances, pieces and paragraphs (call if a Metrics object changes)."""
    _CACHES.clear()
