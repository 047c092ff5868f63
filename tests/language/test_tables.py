"""The field and function tables load from grammars/ and say what the docs say."""

import json

from rulelint.language import tables
from rulelint.language.ast import BOOL, BYTES, INT, IP, Type
from rulelint.resources import grammars_dir


def test_tables_have_provenance():
    for name in ("fields.json", "functions.json"):
        data = json.loads(grammars_dir().joinpath(name).read_text(encoding="utf-8"))
        assert "cloudflare-docs" in data["provenance"]


def test_field_types_are_wirefilter_types():
    fields = tables.fields()
    assert fields["http.host"].type == BYTES
    assert fields["ip.src"].type == IP
    assert fields["cf.threat_score"].type == INT
    assert fields["ssl"].type == BOOL
    assert fields["http.request.headers"].type == Type("Map", Type("Array", BYTES))
    assert fields["http.request.headers.names"].type == Type("Array", BYTES)
    assert fields["http.response.code"].scope == "response"


def test_deprecated_aliases_name_their_replacement():
    alias = tables.fields()["ip.geoip.country"]
    assert (alias.replacement, alias.type) == ("ip.src.country", BYTES)
    assert tables.fields()["ip.src.country"].replacement is None


def test_function_signatures():
    functions = tables.functions()
    starts_with = functions["starts_with"]
    assert [(p.kind, p.types) for p in starts_with.params] == [
        ("field", ("Bytes",)), ("any", ("Bytes",))]
    assert (starts_with.min_args, starts_with.max_args, starts_with.returns) == (2, 2, "Bool")
    assert functions["concat"].max_args is None
    assert functions["substring"].min_args == 2 and functions["substring"].max_args == 3
    assert functions["cidr"].phases == ("http_request_firewall_custom", "http_ratelimit")
    assert functions["lower"].phases is None
    assert functions["any"].grammar


def test_tables_are_loaded_once():
    assert tables.fields() is tables.fields()
    assert tables.functions() is tables.functions()


def test_did_you_mean():
    assert tables.did_you_mean("http.hots") == "http.host"
    assert tables.did_you_mean("zzz") is None
