"""Storefront pages for buyers (customer users), mounted at `/`."""

from __future__ import annotations

from django.urls import path

from accord.storefront.views import account, company, documents, lists

app_name = "storefront"

urlpatterns = [
    path("", account.home, name="home"),
    path("register/", account.register, name="register"),
    path("confirm/<str:token>/", account.confirm, name="confirm"),
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("password-reset/", account.password_reset, name="password_reset"),
    path("password/<str:uidb64>/<str:token>/", account.password_set, name="password_set"),
    path("account/", account.profile, name="profile"),
    path("account/password/", account.password_change, name="password_change"),
    path("company/", company.company, name="company"),
    path("company/invite/", company.invite, name="company_invite"),
    path("company/users/<int:pk>/", company.company_user, name="company_user"),
    path("company/users/<int:pk>/enabled/", company.company_user_enabled, name="company_user_enabled"),
    path("company/users/<int:pk>/roles/", company.company_user_roles, name="company_user_roles"),
    path("products/", lists.products, name="products"),
    path("products/add/", lists.product_add, name="product_add"),
    path("shopping-lists/", lists.shopping_lists, name="shopping_lists"),
    path("shopping-lists/<int:pk>/", lists.shopping_list, name="shopping_list"),
    path("shopping-lists/<int:pk>/rename/", lists.shopping_list_rename, name="shopping_list_rename"),
    path("shopping-lists/<int:pk>/delete/", lists.shopping_list_delete, name="shopping_list_delete"),
    path("shopping-lists/<int:pk>/items/", lists.item_add, name="shopping_list_item_add"),
    path("shopping-lists/<int:pk>/items/<int:item>/", lists.item_update, name="shopping_list_item"),
    path(
        "shopping-lists/<int:pk>/items/<int:item>/remove/",
        lists.item_remove,
        name="shopping_list_item_remove",
    ),
    path("shopping-lists/<int:pk>/rfq/", lists.rfq_submit, name="shopping_list_rfq"),
    path("rfqs/", documents.rfqs, name="rfqs"),
    path("rfqs/<int:pk>/", documents.rfq, name="rfq"),
    path("quotes/", documents.quotes, name="quotes"),
    path("quotes/<int:pk>/", documents.quote, name="quote"),
    path("quotes/<int:pk>/accept/", documents.quote_accept, name="quote_accept"),
    path("orders/", documents.orders, name="orders"),
    path("orders/<int:pk>/", documents.order, name="order"),
    path("orders/<int:pk>/reorder/", documents.order_reorder, name="order_reorder"),
]
