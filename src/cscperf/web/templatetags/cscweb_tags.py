from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``row|get_item:key`` for list rows (dicts keyed by column names)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def cell(value):
    """A list cell: numbers that are not whole to one decimal place, missing values as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value
