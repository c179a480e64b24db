"""Benchmarks (issue 9): the engine against Typst on the same copy and grid, and growth with pages.

    python -m bench.typst_source 1640 -o /tmp/t.typ     # Typst source for page 1 of issue 1640
    python bench/run.py                                  # the timing table -> bench/results.md
    python bench/profile_render.py --importtime          # where render.py's time goes (PROFILE.md)

Not part of the engine and not imported by it.
"""
