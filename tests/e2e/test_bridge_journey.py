"""The bridge in a browser: a visitor registers a company on the storefront; the administrator finds
the account the `each` strategy created for it, with its commerce section; an order for the new
customer is entered and paid in the console, and the account's lifetime value follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.commerce.models import Customer, CustomerUser
from accord.commerce.services.products import product_create
from accord.platform.services.settings import setting_get, setting_set
from accord.platform.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMPANY = "Roadrunner Logistics"
BUYER_PASSWORD = "amber-canyon-whistle-17"


def test_registered_company_shows_as_account_with_commerce_section_and_paid_order_value(
    live_server, page, make_user, settings, tmp_path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    admin = make_user("ada.admin", roles=["administrator"])
    setting_set(key="commerce.default_customer_owner", value=admin.username, actor=admin)
    assert setting_get("crm_commerce.account_strategy") == "each"
    product = product_create(
        sku="TAPE-50", name="Packing tape", unit_price="4.90", currency="USD", actor=admin
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    site = live_server.url

    # A visitor registers the company on the storefront.
    page.goto(f"{site}/")
    page.get_by_role("link", name="Register your company").first.click()
    page.get_by_label("Company name").fill(COMPANY)
    page.get_by_label("First name").fill("Road")
    page.get_by_label("Last name").fill("Runner")
    page.get_by_label("Email").fill("road@runner.example")
    page.get_by_label("Password", exact=True).fill(BUYER_PASSWORD)
    page.get_by_label("Password again").fill(BUYER_PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    customer = Customer.objects.get(name=COMPANY)
    buyer = CustomerUser.objects.get(email="road@runner.example")

    # The administrator finds the account named after the company, with its commerce section.
    page.goto(f"{site}/console/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/console/")
    page.get_by_role("navigation").get_by_role("link", name="Accounts", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/console/accounts/$"))
    page.get_by_label("Quick search").fill("Roadrunner")
    page.get_by_label("Quick search").press("Enter")
    page.get_by_role("link", name=COMPANY, exact=True).click()
    page.wait_for_url(re.compile(r".*/console/accounts/\d+/$"))
    account_url = page.url
    expect(page.get_by_role("heading", name=COMPANY, level=1)).to_be_visible()
    section = page.get_by_test_id("commerce-section")
    expect(section.get_by_role("link", name=COMPANY)).to_be_visible()
    assert section.get_by_test_id("commerce-lifetime").inner_text() == "0.00 USD"
    assert page.locator("[data-lifetime-total]").inner_text() == "0.00 USD"

    # An order for the customer is entered in the console and paid in full.
    page.goto(f"{site}/console/orders/new/")
    page.get_by_label("Customer (id)").fill(str(customer.pk))
    page.get_by_label("Customer user (id)").fill(str(buyer.pk))
    page.get_by_label("Line 1: product (id)").fill(str(product.pk))
    page.get_by_label("Line 1: quantity").fill("12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/console/orders/\d+/$"))
    page.get_by_role("link", name="Record payment").click()
    assert page.get_by_label("Amount").input_value() == "58.80"
    page.get_by_role("button", name="Record payment").click()
    page.wait_for_url(re.compile(r".*/console/orders/\d+/$"))
    expect(page.get_by_text("The payment was recorded.")).to_be_visible()
    # The account's lifetime value is the paid amount, in the header and in the commerce section.
    page.goto(account_url)
    assert page.locator("[data-lifetime-total]").inner_text() == "58.80 USD"
    assert page.locator("[data-lifetime-channel]").inner_text().endswith(": 58.80")  # the commerce channel
    section = page.get_by_test_id("commerce-section")
    assert section.get_by_test_id("commerce-lifetime").inner_text() == "58.80 USD"
    expect(section.get_by_text("customer value 58.80 USD")).to_be_visible()
    assert errors == []
