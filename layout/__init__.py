"""今日柯城 newspaper layout engine: load -> fonts -> compose -> place -> emit -> check."""
import gc


def quiet_collector() -> None:
    """A render allocates hundreds of thousands of small objects that live to its end (the
    compositions, the search's tables): the cyclic GC's default thresholds would walk them
    again and again for nothing (a full collection in the middle of a page search took
    40-60 ms of an eight-story page's 90-110). The CLI and the benchmarks set this once."""
    gc.set_threshold(100_000, 50, 100)
