"""Registration, email confirmation, log-in/out, password reset and the profile of a customer user."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from accord.commerce.models import CustomerUser, CustomerUserRole
from accord.commerce.services.customer_users import customer_user_update
from accord.commerce.services.registration import customer_register, customer_user_confirm
from accord.platform.console.pages import apply_errors
from accord.platform.errors import Conflict, DomainError
from accord.platform.services.settings import setting_get
from accord.storefront import auth, mail, tokens
from accord.storefront.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    SetPasswordForm,
)
from accord.storefront.registrations import CONFIRMATION_REQUIRED, DEFAULT_ROLE, REGISTRATION_ENABLED
from accord.storefront.views.common import (
    actor,
    me,
    redirect,
    render_error,
    render_page,
    safe_next,
    storefront_page,
)


def home(request: HttpRequest) -> HttpResponse:
    return render_page(request, "storefront/home.html")


def default_role() -> CustomerUserRole:
    """The shared role of registered users and invited colleagues (setting `storefront.default_role`)."""
    code = setting_get(DEFAULT_ROLE)
    role = CustomerUserRole.objects.filter(role=code, customer__isnull=True).first()
    if role is None:
        raise Conflict(f"Registration is not available: the default role {code!r} does not exist.")
    return role


def register(request: HttpRequest) -> HttpResponse:
    if not setting_get(REGISTRATION_ENABLED):
        return render_error(
            request, 404, "Registration is closed; ask your company's administrator to invite you."
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        confirmation = bool(setting_get(CONFIRMATION_REQUIRED))
        try:
            user = customer_register(
                company_name=data["company_name"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password"],
                role=default_role(),
                confirmation_required=confirmation,
                actor=auth.StorefrontActor(f"{data['email']} (storefront registration)"),
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            if confirmation:
                mail.send_confirmation(request, user)
                return render_page(request, "storefront/account/registered.html", {"email": user.email})
            auth.login(request, user)
            messages.success(
                request, f"Welcome, {user.first_name}! Your company {user.customer.name} is registered."
            )
            return redirect("storefront:home")
    return render_page(request, "storefront/account/register.html", {"form": form})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    user = tokens.user_from_confirmation(token)
    if user is None:
        return render_error(request, 404, "This confirmation link is not valid (any more).")
    customer_user_confirm(customer_user=user, actor=auth.actor_for(user))
    messages.success(request, "Your email address is confirmed. You can log in now.")
    return redirect("storefront:login")


def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = auth.authenticate(request, form.cleaned_data["email"], form.cleaned_data["password"])
        except auth.LoginRefused as exc:
            form.add_error(None, exc.message)
            status = 429 if exc.locked else 200
        else:
            auth.login(request, user)
            return HttpResponseRedirect(safe_next(request, "storefront:home"))
    return render_page(
        request,
        "storefront/account/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, "You are logged out.")
    return redirect("storefront:home")


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer is the same whether the email is known or not."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        user = CustomerUser.objects.select_related("customer").filter(email_lower=email, enabled=True).first()
        if user is not None:
            mail.send_password_reset(request, user)
        return render_page(request, "storefront/account/password_reset_sent.html", {"email": email})
    return render_page(request, "storefront/account/password_reset.html", {"form": form})


def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a password from a mailed link (password reset, or an invitation)."""
    user = tokens.user_from_uid(uidb64)
    if user is None or not user.enabled or not tokens.password_token_valid(user, token):
        return render_error(request, 404, "This link is not valid (any more). Ask for a new one.")
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer_user_update(
                customer_user=user,
                password=form.cleaned_data["password"],
                confirmed=True,
                actor=auth.actor_for(user),
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your password is set. You can log in now.")
            return redirect("storefront:login")
    return render_page(request, "storefront/account/password_set.html", {"form": form, "target": user})


@storefront_page
def profile(request: HttpRequest) -> HttpResponse:
    user = me(request)
    fields = ("name_prefix", "first_name", "middle_name", "last_name", "name_suffix")
    form = ProfileForm(request.POST or None, initial={name: getattr(user, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            customer_user_update(customer_user=user, actor=actor(request), **form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("storefront:profile")
    return render_page(request, "storefront/account/profile.html", {"form": form, "section": "profile"})


@storefront_page
def password_change(request: HttpRequest) -> HttpResponse:
    user = me(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["current_password"]):
            form.add_error("current_password", "This is not your current password.")
        else:
            try:
                updated = customer_user_update(
                    customer_user=user, password=form.cleaned_data["password"], actor=actor(request)
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                auth.keep_session_after_password_change(request, updated)
                messages.success(request, "Your password is changed.")
                return redirect("storefront:profile")
    return render_page(request, "storefront/account/password_change.html", {"form": form})
