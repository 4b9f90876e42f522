"""Words for people: times in words, plurals, network errors and text made safe to show."""
