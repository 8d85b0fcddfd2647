"""Each event records its agency, so an agency's log shows only its own events.

On SQLite adding a foreign key rebuilds the table, which loses the append-only triggers: they are
dropped first and created again afterwards (on PostgreSQL this is a no-op round trip).
"""

import importlib

from django.db import migrations, models

initial = importlib.import_module("govsocial.web.audit.migrations.0001_initial")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(initial.drop_triggers, initial.add_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="agency",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="+", to="accounts.agency"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["agency", "-seq"], name="audit_audit_agency_idx"),
        ),
        migrations.RunPython(initial.add_triggers, initial.drop_triggers),
    ]
