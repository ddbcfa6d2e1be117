"""pandera models for every table rxqa reads or writes."""
