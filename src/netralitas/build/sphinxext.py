"""Sphinx extension of the book: bibliography and citation styles in Indonesian.

Registers the pybtex formatting style ``netralitas``: entries sorted by author, year and title;
labels in author–year form ("Ansyari dan Fernanda 2026"), matching the author–year in-text
citations; titles keep their case (Indonesian acronyms such as ASN, PNS, KASN stay upper case);
``@online`` entries show the publishing organisation, URL and access date ("diakses").

Also registers the in-text citation style ``author_year_id``: parenthetical citations print the
bibliography label in parentheses ("(Ansyari dan Fernanda 2026; Tribun Bangka 2025a)"), so
same-author-same-year sources stay distinct; textual citations read "Budiman dkk. (2024)".
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["setup"]


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
                who = f"{names[0]} dan {names[1]}"
            else:
                who = f"{names[0]} dkk."
            return f"{who} {_plain(entry.fields.get('year', 't.t.'))}"

    class Style(UnsrtStyle):
        default_label_style = AuthorYearLabels
        default_sorting_style = "author_year_title"

        def format_names(self, role, as_sentence=True):
            from pybtex.style.template import names

            formatted = names(role, sep=", ", sep2=" dan ", last_sep=", dan ")
            return sentence[formatted] if as_sentence else formatted

        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

        def format_web_refs(self, e):
            from pybtex.style.template import href, words

            url = field("url", raw=True)
            return sentence[
                optional[words["URL:", href(url)[url]],
                         optional[" (diakses ", field("urldate"), ")"]],
                optional[self.format_doi(e)],
            ]

        def format_doi(self, e):
            from pybtex.style.template import href, join

            url = join["https://doi.org/", field("doi", raw=True)]
            return href(url)[join["doi:", field("doi", raw=True)]]

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


def _reference_style():
    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def brackets() -> BracketStyle:
        return BracketStyle(left="(", right=")", sep="; ")

    def persons() -> PersonStyle:
        return PersonStyle(style="last", abbreviate=False, sep=", ", sep2=" dan ",
                           last_sep=", dan ", other=" dkk.")

    @dataclass
    class IndonesianAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = field(default_factory=brackets)
        bracket_textual: BracketStyle = field(default_factory=brackets)
        bracket_author: BracketStyle = field(default_factory=brackets)
        bracket_label: BracketStyle = field(default_factory=brackets)
        bracket_year: BracketStyle = field(default_factory=brackets)
        person: PersonStyle = field(default_factory=persons)

        def __post_init__(self):
            # Parenthetical citations print the bibliography's own label ("Tribun Bangka
            # 2025a"), so two sources with the same author and year stay distinguishable;
            # textual citations stay author (year).
            from sphinxcontrib.bibtex.style.referencing.basic_label import (
                BasicLabelParentheticalReferenceStyle,
            )

            super().__post_init__()
            label_style = BasicLabelParentheticalReferenceStyle(
                bracket=self.bracket_parenthetical, pre_text_sep=self.pre_text_sep,
                post_text_sep=self.post_text_sep)
            self.styles[0] = label_style
            self.role_style.update((name, label_style) for name in label_style.role_names())

    return IndonesianAuthorYear


def setup(app):
    import sphinxcontrib.bibtex.plugin
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", "netralitas", _build(), force=True)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_id", _reference_style(), force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
