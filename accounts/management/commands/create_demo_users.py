import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Profile

DEMO_ACCOUNTS = (
    # username, is_staff, group, description
    ("instructor", True, "Instructors", "writes and edits content in the admin at /admin/"),
    ("student", False, None, "reads articles like any learner"),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo instructor and student accounts and print their passwords. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are only created when DEBUG is on: they have printed passwords.")
        user_model = get_user_model()
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, is_staff, group_name, description in DEMO_ACCOUNTS:
            user, _created = user_model.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = is_staff
            user.is_active = True
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            Profile.for_user(user)
            self.stdout.write(f"  {username:<11} password: {password:<14} {description}")
