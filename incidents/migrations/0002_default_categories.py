from django.db import migrations


def give_every_stichting_its_categories(apps, schema_editor):
    """Stichtingen that existed before incidents came get the default categories once."""
    from incidents.workflow import DEFAULT_CATEGORIES

    Stichting = apps.get_model("schools", "Stichting")
    Category = apps.get_model("incidents", "Category")
    for stichting in Stichting.objects.all():
        have = set(Category.objects.filter(stichting=stichting).values_list("code", flat=True))
        Category.objects.bulk_create(
            Category(stichting=stichting, position=position, **fields)
            for position, fields in enumerate(DEFAULT_CATEGORIES, start=1)
            if fields["code"] not in have
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [
        migrations.RunPython(give_every_stichting_its_categories, migrations.RunPython.noop)
    ]
