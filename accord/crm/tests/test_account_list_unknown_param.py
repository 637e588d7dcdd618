"""The CRM's accounts list refuses a misspelt filter (decision 0063)."""

from __future__ import annotations

from accord.platform.tests.test_api_unknown_params import _accepted, _error


def test_the_crm_account_list_refuses_a_misspelt_name_filter(tree, admin, api_as) -> None:
    """The motivating case: `?nmae=Acme` used to answer every account."""
    response = api_as(admin).get("accounts", nmae="Acme")

    errors = _error(response)["errors"]
    assert response.status_code == 422
    assert [e["field"] for e in errors] == ["query.nmae"]
    assert _accepted(errors[0]["message"]) == [
        "contact_id",
        "count",
        "external_id",
        "name",
        "owner_id",
        "page",
        "page_size",
        "sort",
    ]
