from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from departments.models import Organization
from roles.services import organization_clone

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "teamorg-demo"  # noqa: S105 - a documented demo login for local use only


class Command(BaseCommand):
    help = (
        f"Create the demo login ({DEMO_USERNAME} / {DEMO_PASSWORD}, staff, with one design "
        "made from the startup template) unless it exists. Used by `make run`; never in production."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "demo@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        startup = Organization.objects.filter(slug="startup", is_template=True).first()
        if created and startup is not None:
            organization_clone(
                source=startup,
                owner=user,
                name_zh="我的网店",
                name_en="My online shop",
                slug="demo-shop",
            )
        if created and options["verbosity"]:
            self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
