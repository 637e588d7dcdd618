"""The storefront's own table: failed log-ins, for throttling (decision 0041)."""

from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """One failed storefront log-in. Recent rows of an (email, address) pair lock that pair out."""

    email_lower = models.CharField(max_length=255)
    ip_address = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["email_lower", "ip_address", "at"], name="storefront_failure_pair")]

    def __str__(self) -> str:
        return f"{self.email_lower} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M:%S}"
