"""grammars/wirefilter.ebnf names exactly the parser's productions and token elements."""

import re

from rulelint.language import parser, tokens
from rulelint.resources import grammars_dir

SECTION = re.compile(r"\(\* ---- (.*?) ---- \*\)")
PRODUCTION = re.compile(r"(?:^|;\s+)([a-z_]+)\s*=", re.M)


def productions():
    text = grammars_dir().joinpath("wirefilter.ebnf").read_text(encoding="utf-8")
    parts = SECTION.split(text)
    sections = dict(zip(parts[1::2], parts[2::2]))
    return {name: set(PRODUCTION.findall(re.sub(r"\(\*.*?\*\)", "", body, flags=re.S)))
            for name, body in sections.items()}


def test_syntactic_productions_are_the_parse_methods():
    methods = {name.removeprefix("_parse_") for name in vars(parser.Parser)
               if name.startswith("_parse_")}
    assert productions()["syntactic productions"] == methods


def test_lexical_productions_are_the_pyparsing_token_names():
    assert productions()["lexical productions"] == set(tokens.TOKENS)
    assert all(element.customName == name for name, element in tokens.TOKENS.items())


def test_every_name_used_is_defined_or_a_character_class():
    sections = productions()
    defined = set().union(*sections.values())
    text = grammars_dir().joinpath("wirefilter.ebnf").read_text(encoding="utf-8")
    text = re.sub(r"\(\*.*?\*\)", "", text, flags=re.S)
    text = re.sub(r'"[^"]*"|\'[^\']*\'', "", text)
    used = set(re.findall(r"\b[a-z_]+\b", text))
    assert used - defined <= {"letter", "digit", "hex", "octal", "lowercase", "character",
                              "ipv4", "ipv6"}
