"""The real-page set's page list: every template is on both sides of the dev / held-out split,
and the templates kept for the final check are not in it. No browser: only the lists."""

from __future__ import annotations

from benchmarks.realpages.pages import PAGES, pages
from benchmarks.realpages.templates import TEMPLATES


def test_every_template_has_dev_and_heldout_pages():
    # a template with no held-out page could be tuned on whole and still look general
    for key in TEMPLATES:
        parts = {p.part for p in PAGES if p.template == key}
        assert parts == {"dev", "heldout"}, key


def test_every_listed_page_belongs_to_a_pinned_template():
    assert {p.template for p in PAGES} == set(TEMPLATES)
    assert all("@" in t.spec.lstrip("@") for t in TEMPLATES.values())


def test_the_parts_split_the_set_without_overlap():
    dev, heldout = pages("dev"), pages("heldout")
    assert not {p.id for p in dev} & {p.id for p in heldout}
    assert len(dev) + len(heldout) == len(pages("all")) == len(PAGES)


def test_adminlte_and_sb_admin_2_are_not_in_the_set():
    # kept out of development for the final check (any version)
    specs = " ".join(t.spec.lower() for t in TEMPLATES.values())
    assert "adminlte" not in specs
    assert "sb-admin-2" not in specs
