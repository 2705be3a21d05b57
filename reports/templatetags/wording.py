"""Template filters of the staff pages and the report: a per cent sign as the active language writes it."""

from django import template

from rocbap.percentages import percent_sign

register = template.Library()


@register.filter
def percent(value) -> str:
    """{{ 70|percent }}: '70%' in English, '70 %' in French; nothing for None."""
    return "" if value is None or value == "" else percent_sign(value)
