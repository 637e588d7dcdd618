"""Choice lists shared by CRM models, services and faces."""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class ContactSource(models.TextChoices):
    CALL = "call", "Phone Call"
    TV = "tv", "TV"
    WEBSITE = "website", "Website"
    OTHER = "other", "Other Source"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    MAIL = "mail", "Mail"


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
