"""今日柯城 newspaper layout engine: load -> fonts -> compose -> place -> emit -> check."""
