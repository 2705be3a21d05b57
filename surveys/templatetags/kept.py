"""{% fresh %} ... {% endfresh %}: a part of a page rendered on every request, in a page whose other parts are rendered
once and kept (surveys.questionnaire.pages).

In an ordinary render the tag is transparent: its content is rendered with the page. In a kept render the tag leaves
a marker in the page and hands its content over, to be rendered on each request with that request's values only: a
fresh part sees the request's context, never the kept render's (no variable of a surrounding {% with %}, {% for %}
or include's `with`).
"""

from __future__ import annotations

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context

from surveys.questionnaire.pages import FRESH_PARTS, KEPT_PAGE

register = template.Library()


class FreshNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        collected = context.get(FRESH_PARTS)
        if collected is None:
            return self.nodelist.render(context)
        collected.append(self.nodelist)
        return collected.marker(len(collected) - 1)


@register.tag
def fresh(parser: Parser, token: Token) -> FreshNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fresh %} takes no argument")
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)


class KeptPageNode(Node):
    """The whole of the template a request's render goes through (surveys.questionnaire.pages.KeptPage.render): the kept
    page, its fresh parts rendered in this context."""

    def render(self, context: Context) -> str:
        return context[KEPT_PAGE].fill(context)


@register.tag
def kept_page(parser: Parser, token: Token) -> KeptPageNode:
    return KeptPageNode()
