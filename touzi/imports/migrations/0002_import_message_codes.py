"""ImportBatch's file-level error as a code and parameters; the text column stays for rows stored before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        # Only the field's name changes; the column stays "message", so stored rows keep their text.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="importbatch", old_name="message", new_name="message_text"),
                migrations.AlterField(
                    model_name="importbatch",
                    name="message_text",
                    field=models.TextField(blank=True, db_column="message", verbose_name="文件级错误"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="importbatch",
            name="message_code",
            field=models.CharField(blank=True, max_length=64, verbose_name="文件级错误代码"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="message_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="文件级错误参数"),
        ),
    ]
