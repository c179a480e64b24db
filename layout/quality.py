"""`python -m layout.quality out/1640.pdf`: the composition report (see layout/check/quality.py)."""
from .check.quality import main, quality_report  # noqa: F401  (re-exported)

if __name__ == "__main__":
    raise SystemExit(main())
