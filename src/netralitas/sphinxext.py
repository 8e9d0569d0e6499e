"""Sphinx extension of the book: a pybtex style for the single bibliography.

Registers the pybtex formatting style ``netralitas``: entries sorted by author, year and title;
labels in author–year form ("Ansyari & Fernanda 2026"), matching the author–year in-text
citations; titles keep their case (Indonesian acronyms such as ASN, PNS, KASN stay upper case);
``@online`` entries show the publishing organisation, URL and access date.
"""

from __future__ import annotations

import re
from collections import Counter


def _plain(text: str) -> str:
    return re.sub(r"[{}]", "", str(text)).strip()


def _build():
    from pybtex.style.formatting import toplevel
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.formatting.unsrt import date
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.template import field, optional, sentence

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [self._label(e) for e in sorted_entries]
            counts = Counter(labels)
            seen: Counter = Counter()
            for label in labels:
                if counts[label] > 1:
                    seen[label] += 1
                    yield f"{label}{chr(ord('a') + seen[label] - 1)}"
                else:
                    yield label

        @staticmethod
        def _label(entry) -> str:
            persons = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [_plain(" ".join(p.last_names) or " ".join(p.first_names)) for p in persons]
            if not names:
                names = [_plain(entry.fields.get("organization", entry.key))]
            if len(names) == 1:
                who = names[0]
            elif len(names) == 2:
                who = f"{names[0]} & {names[1]}"
            else:
                who = f"{names[0]} et al."
            return f"{who} {_plain(entry.fields.get('year', 'n.d.'))}"

    class Style(UnsrtStyle):
        default_label_style = AuthorYearLabels
        default_sorting_style = "author_year_title"

        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

        def get_online_template(self, e):
            authors = e.persons.get("author") or []
            org = _plain(e.fields.get("organization", ""))
            corporate = len(authors) == 1 and _plain(" ".join(authors[0].last_names)) == org
            where = optional[date] if corporate else sentence[optional[field("organization")],
                                                               optional[date]]
            return toplevel[
                optional[sentence[self.format_names("author")]],
                self.format_title(e, "title"),
                sentence[where],
                sentence[optional[field("note")]],
                self.format_web_refs(e),
            ]

    return Style


def setup(app):
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", "netralitas", _build(), force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
