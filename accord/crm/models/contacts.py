"""Contacts (people), their emails, phones and typed addresses, and the groups they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.crm.models.choices import ContactMethod, ContactSource, Gender
from accord.platform.models import OwnedModel


class ContactGroup(OwnedModel):
    """A plain label; membership is `Contact.groups`."""

    label = models.CharField(max_length=255)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "label"], name="crm_contact_group_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class Contact(OwnedModel):
    """A person. `primary_email` / `primary_phone` mirror the primary child rows (kept by services)
    so that grids, sorting and search read one row."""

    name_prefix = models.CharField(max_length=255, blank=True)
    first_name = models.CharField(max_length=255, blank=True, db_index=True)
    middle_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True, db_index=True)
    name_suffix = models.CharField(max_length=255, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    birthday = models.DateField(null=True, blank=True)
    job_title = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=20, choices=ContactSource.choices, blank=True, db_index=True)
    method = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reports_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    description = models.TextField(blank=True)
    fax = models.CharField(max_length=255, blank=True)
    skype = models.CharField(max_length=255, blank=True)
    twitter = models.CharField(max_length=255, blank=True)
    facebook = models.CharField(max_length=255, blank=True)
    linkedin = models.CharField(max_length=255, blank=True)
    google_plus = models.CharField(max_length=255, blank=True)
    primary_email = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    primary_phone = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    groups = models.ManyToManyField(ContactGroup, blank=True, related_name="contacts")

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    # What __str__ reads: enough to load for a list of names.
    LABEL_FIELDS = (
        "name_prefix",
        "first_name",
        "middle_name",
        "last_name",
        "name_suffix",
        "primary_email",
        "primary_phone",
    )

    def __str__(self) -> str:
        return self.full_name or self.primary_email or self.primary_phone or f"Contact {self.pk}"

    @property
    def full_name(self) -> str:
        parts = (self.name_prefix, self.first_name, self.middle_name, self.last_name, self.name_suffix)
        return " ".join(p for p in parts if p)


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=255, db_index=True)
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(primary=True), name="crm_contact_one_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    phone = models.CharField(max_length=100, db_index=True)
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(primary=True), name="crm_contact_one_phone"
            )
        ]

    def __str__(self) -> str:
        return self.phone


class ContactAddress(models.Model):
    """A postal address; each type (billing, shipping) is carried by at most one address of a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=255, blank=True)
    street = models.CharField(max_length=500, blank=True)
    street2 = models.CharField(max_length=500, blank=True)
    city = models.CharField(max_length=255, blank=True)
    postal_code = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    is_billing = models.BooleanField(default=False)
    is_shipping = models.BooleanField(default=False)
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(primary=True), name="crm_contact_one_address"
            ),
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_billing=True), name="crm_contact_one_billing"
            ),
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_shipping=True), name="crm_contact_one_shipping"
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street, self.postal_code, self.city, self.country) if p)

    @property
    def types(self) -> list[str]:
        return [t for t in ("billing", "shipping") if getattr(self, f"is_{t}")]
