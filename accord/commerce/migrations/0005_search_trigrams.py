"""PostgreSQL: trigram indexes for the customer users and customers grids' quick search (decision 0088)."""

from django.db import migrations

from accord.platform.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("commerce", "0004_customer_user_last_name_index")]
    operations = [
        trigram_indexes("commerce_customeruser", ("email_lower", "first_name", "last_name")),
        trigram_indexes("commerce_customer", ("name", "external_id")),
    ]
