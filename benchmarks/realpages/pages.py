"""The page list of the real-page set and its fixed dev / held-out split.

A page is held out when the first byte of sha1("<template>:<path>") is divisible by 3
(about a third of the pages, spread over every template). The split never changes with the
list: adding a page does not move another page to the other side. Tune only on ``dev``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}

_PAGES = {
    "gentelella": [
        "production/index.html",
        "production/index2.html",
        "production/index3.html",
        "production/form.html",
        "production/form_validation.html",
        "production/general_elements.html",
        "production/projects.html",
        "production/profile.html",
        "production/pricing_tables.html",
        "production/contacts.html",
        "production/settings.html",
        "production/user_management.html",
        "production/orders.html",
        "production/widgets.html",
        "production/index4.html",
        "production/e_commerce.html",
        "production/invoice.html",
        "production/project_detail.html",
        "production/form_advanced.html",
        "production/form_buttons.html",
        "production/tables.html",
        "production/order_detail.html",
        "production/product_detail.html",
        "production/login.html",
        "production/register.html",
        "production/inbox.html",
        "production/typography.html",
        "production/form_wizards.html",
    ],
    "material": [
        "pages/dashboard.html",
        "pages/tables.html",
        "pages/billing.html",
        "pages/profile.html",
        "pages/notifications.html",
        "pages/sign-in.html",
        "pages/sign-up.html",
        "pages/typography.html",
        "pages/template.html",
    ],
    "sbadmin": [
        "index.html",
        "tables.html",
        "charts.html",
        "layout-static.html",
        "layout-sidenav-light.html",
        "login.html",
        "register.html",
        "password.html",
        "401.html",
        "404.html",
    ],
    "sneat": [
        "html/index.html",
        "html/cards-basic.html",
        "html/forms-basic-inputs.html",
        "html/form-layouts-vertical.html",
        "html/form-layouts-horizontal.html",
        "html/pages-account-settings-account.html",
        "html/pages-account-settings-notifications.html",
        "html/tables-basic.html",
        "html/ui-buttons.html",
        "html/ui-typography.html",
        "html/ui-list-groups.html",
        "html/ui-alerts.html",
        "html/auth-login-basic.html",
        "html/auth-register-basic.html",
        "html/forms-input-groups.html",
        "html/pages-account-settings-connections.html",
        "html/ui-progress.html",
        "html/ui-accordion.html",
        "html/auth-forgot-password-basic.html",
        "html/ui-badges.html",
        "html/layouts-container.html",
        "html/ui-tabs-pills.html",
        "html/ui-pagination-breadcrumbs.html",
    ],
    # Left out: map pages (Google Maps is blocked: an empty panel) and near-copies of a page
    # already listed (tabler's forgot-password beside its login).
    "tabler": [
        "index.html",
        "cards.html",
        "charts.html",
        "form-elements.html",
        "invoice.html",
        "login.html",
        "register.html",
        "pricing-cards.html",
        "profile.html",
        "store.html",
        "users-list.html",
        "blog.html",
        "email.html",
        "docs/typography.html",
        "docs/form-components.html",
    ],
    "black": [
        "examples/dashboard.html",
        "examples/user.html",
        "examples/tables.html",
        "examples/notifications.html",
        "examples/typography.html",
        "examples/icons.html",
    ],
    "nowui": [
        "examples/dashboard.html",
        "examples/user.html",
        "examples/tables.html",
        "examples/notifications.html",
        "examples/typography.html",
        "examples/icons.html",
        "examples/upgrade.html",
    ],
}


@dataclass(frozen=True)
class Page:
    template: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.template}:{self.path}"

    @property
    def slug(self) -> str:
        return self.id.replace(":", "__").replace("/", "_").removesuffix(".html")

    @property
    def part(self) -> str:
        return "heldout" if hashlib.sha1(self.id.encode()).digest()[0] % 3 == 0 else "dev"


PAGES = [Page(t, p) for t, paths in _PAGES.items() for p in paths]


def pages(part: str = "dev") -> list[Page]:
    """Pages of one part ("dev", "heldout") or "all"."""
    if part not in ("dev", "heldout", "all"):
        raise ValueError(f"part must be dev, heldout or all, not {part!r}")
    return [p for p in PAGES if part == "all" or p.part == part]
