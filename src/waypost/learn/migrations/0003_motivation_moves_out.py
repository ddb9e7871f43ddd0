# The motivation tools move to their own app: the models leave the learn app's
# state only, and no table is dropped; motivation.0001_initial takes them over
# with their tables as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learn', '0002_motivation_tools'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DecisionalBalance'),
                migrations.DeleteModel(name='MotivationRequest'),
                migrations.DeleteModel(name='StageOfChangeEntry'),
                migrations.DeleteModel(name='ValuesCardSort'),
            ],
            database_operations=[],
        ),
    ]
