"""Enable the bridge over an existing commerce database: channel, accounts, lifetime values.

It runs the bridge's own service (current models) because it must follow the same rules as the
live path; on a database without customers (every fresh install, the test database) it does
nothing, so it never depends on the models' future shape there (decision 0056).
"""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("commerce", "Customer").objects.using(schema_editor.connection.alias).exists():
        return
    from accord.crm_commerce.services.bootstrap import bridge_install

    bridge_install(actor=None)


class Migration(migrations.Migration):
    dependencies = [("crm_commerce", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
