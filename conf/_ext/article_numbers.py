r"""Equation numbers as the source article prints them.

The article numbers its equations (1), (2), (3), (3'), (4), (4'), (5), (6), (7), (8), (8').
The book labels them ``eq-1`` … ``eq-8p`` and shows exactly those numbers, beside the equation
and in every ``{eq}`` reference. Every other labelled equation is numbered 9, 10, … in reading
order: the order of the root document's toctree (depth first), then the order within a page.

Sphinx's math domain numbers equations per page (1, 2, … on every page). This module replaces
the domain (``add_domain(..., override=True)``) so that ``get_equation_number_for`` returns the
book-wide number as a string, and ``resolve_xref`` writes it into references. The HTML renderer
(:mod:`quickjax_math`) asks the domain for the number when it draws an equation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains.math import MathDomain
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

#: label -> the number the article prints (U+2032 PRIME for the article's dashes).
ARTICLE_NUMBERS: dict[str, str] = {
    "eq-1": "1",
    "eq-2": "2",
    "eq-3": "3",
    "eq-3p": "3\u2032",
    "eq-4": "4",
    "eq-4p": "4\u2032",
    "eq-5": "5",
    "eq-6": "6",
    "eq-7": "7",
    "eq-8": "8",
    "eq-8p": "8\u2032",
}
FIRST_AUTOMATIC = 9
#: Labels that look like an article number but are not one of them (eq-9, eq-2p, ...).
_RESERVED = re.compile(r"eq-\d+p?")


def reading_order(env: BuildEnvironment) -> dict[str, int]:
    """Index of every document in reading order: the root's toctree depth first, orphans last."""
    order: dict[str, int] = {}
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in order:
            continue
        order[docname] = len(order)
        stack.extend(reversed(env.toctree_includes.get(docname, ())))
    for docname in sorted(env.all_docs):
        order.setdefault(docname, len(order))
    return order


class ArticleMathDomain(MathDomain):
    """The math domain, numbering equations the article's way (see the module docstring)."""

    def note_equation(self, docname: str, labelid: str, location: Any = None) -> None:
        if _RESERVED.fullmatch(labelid) and labelid not in ARTICLE_NUMBERS:
            logger.warning(
                __(
                    "equation label %s looks like an article number but the article has none: "
                    "use %s or a descriptive label such as eq-central-difference"
                ),
                labelid,
                ", ".join(ARTICLE_NUMBERS),
                location=location,
                type="ref",
                subtype="equation",
            )
        super().note_equation(docname, labelid, location)

    def equation_numbers(self) -> dict[str, str]:
        """Label -> number shown, for every labelled equation of the book."""
        order = reading_order(self.env)
        automatic = sorted(
            (label for label in self.equations if label not in ARTICLE_NUMBERS),
            key=lambda label: (
                order.get(self.equations[label][0], len(order)),
                self.equations[label][1],
            ),
        )
        numbers = {label: str(FIRST_AUTOMATIC + i) for i, label in enumerate(automatic)}
        numbers.update({k: v for k, v in ARTICLE_NUMBERS.items() if k in self.equations})
        return numbers

    def get_equation_number_for(self, labelid: str) -> str | None:  # type: ignore[override]
        if labelid not in self.equations:
            return None
        if labelid in ARTICLE_NUMBERS:
            return ARTICLE_NUMBERS[labelid]
        return self.equation_numbers()[labelid]

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        number = self.get_equation_number_for(target)
        if number is None:
            return None
        docname = self.equations[target][0]
        node_id = nodes.make_id(f"equation-{target}")
        eqref_format = env.config.math_eqref_format or "({number})"
        try:
            title = eqref_format.format(number=number)
        except KeyError as exc:
            logger.warning(__("Invalid math_eqref_format: %r"), exc, location=node)
            title = f"({number})"
        return make_refnode(builder, fromdocname, docname, node_id, nodes.Text(title))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_domain(ArticleMathDomain, override=True)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
