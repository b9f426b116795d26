"""The bottom layer: errors, configuration and calendars that every stage may import."""
