"""Products and shopping lists: create, rename, delete, add products, change quantities, remove
lines, and submit a list as a request for quote."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accord.commerce.models import Rfq, ShoppingList, ShoppingListLine
from accord.commerce.services import quotes as quote_services
from accord.commerce.services import shopping_lists as services
from accord.platform.console.pages import apply_errors
from accord.platform.errors import DomainError, NotFound
from accord.storefront import access, selectors
from accord.storefront.forms import NameForm, QuantityForm, RfqForm
from accord.storefront.selectors import RFQ, SHOPPING_LIST
from accord.storefront.views.common import me, redirect, render_page, storefront_page


def _my_lists(request: HttpRequest) -> list[ShoppingList]:
    """The user's own lists it may change (offered when adding a product)."""
    user = me(request)
    mine = ShoppingList.objects.filter(customer_user=user).order_by("-updated_at", "-id")
    return list(access.for_action(user, SHOPPING_LIST, "edit", mine)[:50])


@storefront_page
def products(request: HttpRequest) -> HttpResponse:
    user = me(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.products(user.organization_id, q), 25).get_page(request.GET.get("page"))
    lists = _my_lists(request)
    context = {"section": "products", "page": page, "q": q, "lists": lists}
    return render_page(request, "storefront/documents/products.html", context)


@storefront_page
def shopping_lists(request: HttpRequest) -> HttpResponse:
    user = me(request)
    may_create = access.may(user, SHOPPING_LIST, "create")
    form = NameForm(request.POST or None)
    if request.method == "POST":
        access.require(user, SHOPPING_LIST, "create")
        if form.is_valid():
            try:
                created = services.shopping_list_create(
                    customer_user=user, name=form.cleaned_data["name"], actor=user
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"The shopping list {created.name} is created.")
                return redirect("storefront:shopping_list", created.pk)
    visible = access.visible(user, SHOPPING_LIST, selectors.shopping_lists()).order_by("-updated_at", "-id")
    page = Paginator(visible, 25).get_page(request.GET.get("page"))
    context = {"section": "shopping_lists", "page": page, "form": form, "may_create": may_create}
    return render_page(request, "storefront/documents/shopping_lists.html", context)


def _list_page(
    request: HttpRequest, shopping_list: ShoppingList, status: int = 200, **forms: object
) -> HttpResponse:
    user = me(request)
    lines = shopping_list.lines.select_related("product").order_by("id")
    context = {
        "section": "shopping_lists",
        "list": shopping_list,
        "lines": lines,
        "may_edit": access.may(user, SHOPPING_LIST, "edit", shopping_list),
        "may_delete": access.may(user, SHOPPING_LIST, "delete", shopping_list),
        "may_submit": access.may(user, RFQ, "create"),
        "rename_form": forms.get("rename_form") or NameForm(initial={"name": shopping_list.name}),
        "rfq_form": forms.get("rfq_form") or RfqForm(),
    }
    return render_page(request, "storefront/documents/shopping_list.html", context, status=status)


@storefront_page
def shopping_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _list_page(
        request, access.get_visible_or_404(me(request), SHOPPING_LIST, pk, selectors.shopping_lists())
    )


@storefront_page
@require_POST
def shopping_list_rename(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_for_action(me(request), SHOPPING_LIST, "edit", pk, selectors.shopping_lists())
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.shopping_list_rename(
                shopping_list=record, name=form.cleaned_data["name"], actor=me(request)
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The shopping list is renamed.")
            return redirect("storefront:shopping_list", pk)
    return _list_page(request, record, 422, rename_form=form)


@storefront_page
@require_POST
def shopping_list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_for_action(me(request), SHOPPING_LIST, "delete", pk, selectors.shopping_lists())
    services.shopping_list_delete(shopping_list=record, actor=me(request))
    messages.success(request, f"The shopping list {record.name} is deleted.")
    return redirect("storefront:shopping_lists")


def _add(request: HttpRequest, list_pk: object) -> HttpResponse:
    user = me(request)
    record = access.get_for_action(user, SHOPPING_LIST, "edit", list_pk, selectors.shopping_lists())
    product = selectors.products(user.organization_id).filter(pk=_int(request.POST.get("product"))).first()
    if product is None:
        raise NotFound("Not found.")
    try:
        services.shopping_list_item_add(
            shopping_list=record, product=product, quantity=request.POST.get("quantity") or "1", actor=user
        )
    except DomainError as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.as_errors()))
    else:
        messages.success(request, f"{product.name} is on {record.name}.")
    return redirect("storefront:shopping_list", record.pk)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


@storefront_page
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, pk)


@storefront_page
@require_POST
def product_add(request: HttpRequest) -> HttpResponse:
    """From the product page: the list is chosen in the form."""
    return _add(request, request.POST.get("shopping_list"))


def _line(request: HttpRequest, pk: int, item: int) -> tuple[ShoppingList, ShoppingListLine]:
    record = access.get_for_action(me(request), SHOPPING_LIST, "edit", pk, selectors.shopping_lists())
    line = ShoppingListLine.objects.filter(shopping_list=record, pk=item).first()
    if line is None:
        raise NotFound("Not found.")
    return record, line


@storefront_page
@require_POST
def item_update(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    record, line = _line(request, pk, item)
    form = QuantityForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Enter a quantity.", field="quantity")
        services.shopping_list_item_set_quantity(
            item=line, quantity=form.cleaned_data["quantity"], actor=me(request)
        )
    except DomainError as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.as_errors()))
        return _list_page(
            request, record, 200 if getattr(request, "htmx", False) else 422
        )  # htmx swaps 2xx answers only
    messages.success(request, "The quantity is changed.")
    return redirect("storefront:shopping_list", record.pk)


@storefront_page
@require_POST
def item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    record, line = _line(request, pk, item)
    services.shopping_list_item_remove(item=line, actor=me(request))
    messages.success(request, "The product is removed from the list.")
    return redirect("storefront:shopping_list", record.pk)


@storefront_page
@require_POST
def rfq_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    record = access.get_visible_or_404(user, SHOPPING_LIST, pk, selectors.shopping_lists())
    access.require(user, RFQ, "create")
    form = RfqForm(request.POST)
    if form.is_valid():
        try:
            rfq = quote_services.rfq_submit(
                shopping_list=record,
                customer_user=user,
                po_number=form.cleaned_data["po_number"],
                note=form.cleaned_data["note"],
                actor=user,
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            return _submitted(request, record, rfq)
    return _list_page(request, record, 422, rfq_form=form)


def _submitted(request: HttpRequest, shopping_list: ShoppingList, rfq: Rfq) -> HttpResponse:
    """To the new RFQ when the role lets the user see it, else back to the list with a message.

    A subsidiary's list makes the subsidiary's RFQ (decision 0035), which a parent's buyer with RFQ
    view at User or Department level does not see: sending it there would answer 404. Same rule as
    accepting a quote whose order is out of sight."""
    if access.may(me(request), RFQ, "view", rfq):
        messages.success(request, f"Your request for quote #{rfq.pk} is submitted.")
        return redirect("storefront:rfq", rfq.pk)
    messages.success(
        request,
        f"Your request for quote #{rfq.pk} is submitted for {rfq.customer.name}, in the name of "
        f"{rfq.customer_user}; your role does not let you see it.",
    )
    return redirect("storefront:shopping_list", shopping_list.pk)
