"""A buyer registers a company on the storefront, confirms the email from the written mail file,
logs in, creates a shopping list and submits an RFQ; a sales rep turns it into a quote in the
console; the buyer accepts it and sees the order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accord.commerce.models import Rfq
from accord.commerce.services.products import product_create
from accord.platform.services.settings import setting_set
from accord.platform.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUYER_PASSWORD = "violet-harbor-lantern-42"


def _mailed_link(mail_dir: Path, name: str) -> str:
    text = "\n".join(path.read_text() for path in sorted(mail_dir.glob("*.log")))
    return re.findall(rf"http://[^\s]+/{name}/\S+", text)[-1]


def test_register_confirm_log_in_list_rfq_quote_accept_and_see_the_order(
    live_server, page, make_user, settings, tmp_path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    admin = make_user("ada.admin", roles=["administrator"])
    setting_set(key="commerce.default_customer_owner", value=admin.username, actor=admin)
    product_create(sku="PAPER-A4", name="Copy paper A4", unit_price="4.90", currency="USD", actor=admin)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    store = live_server.url

    page.goto(f"{store}/")
    page.get_by_role("link", name="Register your company").first.click()
    page.get_by_label("Company name").fill("Wile E. Supplies")
    page.get_by_label("First name").fill("Wile")
    page.get_by_label("Last name").fill("Coyote")
    page.get_by_label("Email").fill("wile@acme.example")
    page.get_by_label("Password", exact=True).fill(BUYER_PASSWORD)
    page.get_by_label("Password again").fill(BUYER_PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    page.goto(_mailed_link(tmp_path, "confirm"))
    page.wait_for_url(f"{store}/login/")
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    page.get_by_label("Email").fill("wile@acme.example")
    page.get_by_label("Password").fill(BUYER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{store}/")
    expect(page.get_by_text("Wile Coyote · Wile E. Supplies")).to_be_visible()
    page.get_by_role("navigation", name="Store menu").get_by_role("link", name="Shopping lists").click()
    page.get_by_label("New shopping list name").fill("Office")
    page.get_by_role("button", name="Create list").click()
    page.wait_for_url(re.compile(r".*/shopping-lists/\d+/$"))
    page.get_by_role("link", name="Add products").first.click()
    page.get_by_label("Quantity of PAPER-A4").fill("10")
    page.locator('tr[data-product="PAPER-A4"]').get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(r".*/shopping-lists/\d+/$"))
    expect(page.locator('tr[data-line="PAPER-A4"]')).to_be_visible()
    list_url = page.url
    page.evaluate("window.__same_page = true")
    page.get_by_label("Quantity of PAPER-A4").fill("12")
    page.locator('tr[data-line="PAPER-A4"]').get_by_role("button", name="Update").click()  # htmx: no reload
    page.get_by_text("The quantity is changed.").wait_for()
    assert page.url == list_url
    assert page.evaluate("window.__same_page === true")  # swapped in place, not reloaded
    assert page.get_by_label("Quantity of PAPER-A4").input_value() == "12"
    page.get_by_label("PO number").fill("PO-4711")
    page.get_by_role("button", name="Submit request for quote").click()
    page.wait_for_url(re.compile(r".*/rfqs/\d+/$"))
    expect(page.get_by_text("PO PO-4711")).to_be_visible()
    rfq = Rfq.objects.get()

    page.goto(f"{store}/console/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{store}/console/")
    page.goto(f"{store}/console/rfqs/{rfq.pk}/quote/")
    page.get_by_role("button", name="Create quote").click()
    page.wait_for_url(re.compile(r".*/console/quotes/\d+/$"))
    quote_id = int(re.search(r"/quotes/(\d+)/$", page.url).group(1))

    page.goto(f"{store}/quotes/")
    page.get_by_role("link", name=f"Quote #{quote_id}").click()
    expect(page.get_by_text("Subtotal 58.80 USD")).to_be_visible()
    page.get_by_role("button", name="Accept and order").click()
    page.wait_for_url(re.compile(r".*/orders/\d+/$"))
    expect(page.get_by_text("Thank you! Your order")).to_be_visible()
    assert page.locator("[data-total]").inner_text() == "58.80 USD"
    page.get_by_role("navigation", name="Store menu").get_by_role("link", name="Orders").click()
    assert page.locator("#orders tbody tr").count() == 1
    assert errors == []
