# The motivation tools move out of the learn app. Their tables stay as they are
# (the models keep the learn_… names through db_table): this migration only tells
# Django that the models are now the motivation app's, and moves their content
# types so permissions and anything else pointing at them follow.

import django.db.models.deletion
import django.utils.timezone
import waypost.core.fields
from django.conf import settings
from django.db import migrations, models

MODELS = ("decisionalbalance", "valuescardsort", "stageofchangeentry", "motivationrequest")


def move_content_types(apps, schema_editor, source="learn", target="motivation"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="motivation", target="learn")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('learn', '0003_motivation_moves_out'),
        ('program', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DecisionalBalance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('in_session', models.BooleanField(default=False)),
                        ('content', waypost.core.fields.EncryptedTextField()),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisional_balances', to='program.enrollment')),
                        ('saved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'learn_decisionalbalance',
                        'ordering': ['-version'],
                        'constraints': [models.UniqueConstraint(fields=('enrollment', 'version'), name='one_decisional_balance_per_version')],
                    },
                ),
                migrations.CreateModel(
                    name='MotivationRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tool', models.CharField(choices=[('readiness', 'Readiness ruler'), ('balance', 'Decisional balance'), ('values', 'Values card sort'), ('stage', 'Stage of change')], max_length=10)),
                        ('asked_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('outcome', models.CharField(blank=True, max_length=10)),
                        ('asked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='motivation_requests', to='program.enrollment')),
                    ],
                    options={
                        'db_table': 'learn_motivationrequest',
                        'ordering': ['asked_at', 'id'],
                        'indexes': [models.Index(fields=['enrollment', 'closed_at'], name='learn_motiv_enrollm_b8ecc6_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('enrollment', 'tool'), name='one_open_motivation_request_per_tool')],
                    },
                ),
                migrations.CreateModel(
                    name='StageOfChangeEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=[('precontemplation', 'precontemplation'), ('contemplation', 'contemplation'), ('preparation', 'preparation'), ('action', 'action'), ('maintenance', 'maintenance')], max_length=20)),
                        ('view', models.CharField(choices=[('client', "The client's view"), ('clinician', "The clinician's view")], default='client', max_length=10)),
                        ('in_session', models.BooleanField(default=False)),
                        ('note', waypost.core.fields.EncryptedTextField(blank=True, default='')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stage_of_change_entries', to='program.enrollment')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'learn_stageofchangeentry',
                        'ordering': ['-recorded_at', '-id'],
                        'indexes': [models.Index(fields=['enrollment', 'view', '-recorded_at'], name='learn_stage_enrollm_ac5ed1_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='ValuesCardSort',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('in_session', models.BooleanField(default=False)),
                        ('content', waypost.core.fields.EncryptedTextField()),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values_sorts', to='program.enrollment')),
                        ('saved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'learn_valuescardsort',
                        'ordering': ['-version'],
                        'constraints': [models.UniqueConstraint(fields=('enrollment', 'version'), name='one_values_sort_per_version')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
