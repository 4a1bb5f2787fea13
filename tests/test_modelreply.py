"""Reading the model's reply: valid JSON, fenced JSON, cut-off JSON, and prose."""

import json

from uireview.modelreply import parse_reply


def test_valid_reply_is_read_with_severity_synonyms_normalised():
    text = json.dumps(
        {"findings": [{"title": "A", "severity": "High", "marks": "3, 4", "image": "Image 2"}]}
    )
    parsed = parse_reply(text)
    assert not parsed.repaired
    (item,) = parsed.findings
    assert (item.severity, item.marks, item.image) == ("major", ["3", "4"], 2)


def test_json_in_a_code_fence_is_read():
    parsed = parse_reply('Here you go:\n```json\n{"findings": [{"title": "A"}]}\n```')
    assert [f.title for f in parsed.findings] == ["A"] and parsed.repaired


def test_cut_off_reply_keeps_only_whole_findings():
    text = json.dumps({"findings": [{"title": "Whole"}, {"title": "Cut", "detail": "abcdef"}]})
    parsed = parse_reply(text[: text.index("abc") + 2])
    assert [f.title for f in parsed.findings] == ["Whole"]
    assert parsed.repaired and parsed.usable


def test_braces_inside_strings_do_not_confuse_the_salvage():
    text = (
        '{"findings": [{"title": "Use {name} not }{", "detail": "a \\"quoted\\" ]"}, {"title": "cut'
    )
    assert [f.title for f in parse_reply(text).findings] == ["Use {name} not }{"]


def test_invalid_items_are_dropped_and_counted():
    parsed = parse_reply(json.dumps({"findings": [{"title": ""}, {"nope": 1}, {"title": "Fine"}]}))
    assert [f.title for f in parsed.findings] == ["Fine"]
    assert parsed.dropped == 2


def test_prose_is_not_usable():
    parsed = parse_reply("I'm sorry, I can't help with that.")
    assert parsed.findings == [] and not parsed.usable


def test_an_empty_list_is_a_good_answer():
    parsed = parse_reply('{"findings": []}')
    assert parsed.usable and parsed.findings == []
