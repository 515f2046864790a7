"""Search in the Japanese edition: Japanese text is indexed and queried as character bigrams.

Japanese writes no spaces between words. Sphinx's own Japanese splitter guesses word
boundaries and indexes 誤差逆伝播法 as 逆伝/播法, so the query 伝播 finds nothing. Here a run
of kana and kanji becomes its overlapping pairs of characters (誤差, 差逆, 逆伝, 伝播, 播法), on
both sides: the index (Python, below) and the query typed into the search box (the same rule
in JavaScript, ``splitQuery``). Sphinx's search keeps a page only if it holds every term of the
query, so 伝播 finds the pages with 伝播, and 数値微分 those with 数値, 値微 and 微分. A run of one
character is indexed as itself too, so a one-character query works. Words in other scripts
(Affine, numpy, dW) are indexed whole, as in the English edition.

Registered for ``language = "ja"`` only; the English edition's search is Sphinx's own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx.search import SearchLanguage

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Hiragana, katakana (with ー), CJK ideographs, 々 and 〆, half-width katakana.
CJK = "\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
TOKEN = re.compile(rf"[{CJK}]+|(?:(?![{CJK}])\w)+")
CJK_START = re.compile(rf"[{CJK}]")

#: The same class of characters, written for a JavaScript regular expression.
JS_CJK = "".join(c if c.isascii() else f"\\u{ord(c):04x}" for c in CJK)
#: The same rule in the browser: runs of CJK become bigrams, other words stay whole.
JS_SPLITTER = f"""
function splitQuery(query) {{
  const runs = query.match(/[{JS_CJK}]+|(?:(?![{JS_CJK}])[\\p{{L}}\\p{{N}}_])+/gu) || [];
  const terms = [];
  for (const run of runs) {{
    const chars = [...run];
    if (chars.length === 1 || !/^[{JS_CJK}]/u.test(run)) {{ terms.push(run); continue; }}
    for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
  }}
  return terms;
}}
"""


def bigrams(run: str) -> list[str]:
    """The overlapping character pairs of ``run``; a single character stays itself.

    Examples
    --------
    >>> bigrams("伝播法")
    ['伝播', '播法']
    >>> bigrams("層")
    ['層']
    """
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


class SearchJapaneseBigram(SearchLanguage):
    """Japanese as character bigrams, every other word whole; no stemming, no stop words."""

    lang = "ja"
    language_name = "Japanese"
    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        """Every word of ``input`` whole; a CJK run as its bigrams, then its characters.

        Examples
        --------
        >>> SearchJapaneseBigram({}).split("逆伝播の dW")
        ['逆伝', '伝播', '播の', '逆', '伝', '播', 'の', 'dW']
        """
        terms: list[str] = []
        for run in TOKEN.findall(input):
            if CJK_START.match(run) and len(run) > 1:
                terms += bigrams(run) + list(run)
            else:
                terms.append(run)
        return terms


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_search_language(SearchJapaneseBigram)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
