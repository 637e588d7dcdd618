"""The global search index: one row per searchable record, with its ownership for the ACL.

The full-text structure beside it is database-specific (an FTS5 table on SQLite, a GIN
expression index on PostgreSQL); see migration 0002.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    entity = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    owner_id = models.BigIntegerField(null=True, db_index=True)
    business_unit_id = models.BigIntegerField(null=True, db_index=True)
    organization_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "object_id"], name="search_entry_unique")]

    def __str__(self) -> str:
        return f"{self.entity}#{self.object_id}: {self.title}"
