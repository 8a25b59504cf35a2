from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roles.services.template_loading import TEMPLATE_SLUGS, read_spec, template_load


class Command(BaseCommand):
    help = (
        "Load or refresh the built-in templates from fixtures/templates/ (idempotent: unchanged "
        "templates are left exactly as they are; organizations cloned from them are never touched)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", help=f"Only these templates ({', '.join(TEMPLATE_SLUGS)})."
        )

    def handle(self, *args, slugs, **options):
        unknown = sorted(set(slugs) - set(TEMPLATE_SLUGS))
        if unknown:
            raise CommandError(f"Unknown template(s): {', '.join(unknown)}")
        for slug in slugs or TEMPLATE_SLUGS:
            try:
                organization, changed = template_load(read_spec(slug))
            except ValidationError as error:
                raise CommandError(f"{slug}: {' '.join(error.messages)}") from error
            if options["verbosity"]:
                state = "loaded" if changed else "unchanged"
                self.stdout.write(
                    f"{slug}: {state} (revision {organization.revision}, "
                    f"{organization.departments.count()} departments, "
                    f"{organization.roles.count()} roles)"
                )
