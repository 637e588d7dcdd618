"""PostgreSQL: trigram indexes for the contacts and accounts grids' quick search (decision 0088)."""

from django.db import migrations

from accord.platform.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_default_contact_groups")]
    operations = [
        trigram_indexes("crm_contact", ("first_name", "last_name", "primary_email", "primary_phone")),
        trigram_indexes("crm_account", ("name", "external_id")),
    ]
