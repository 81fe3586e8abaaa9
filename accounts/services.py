"""What the site holds about a learner: all of it as JSON, and deleting it.

Every app that keeps data about a person names a function on its AppConfig (``personal_data =
("courses.personal_data.for_user",)``) that returns it as plain JSON-ready data; this app knows none of them.
"""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Profile


def _account(user):
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "preferred_language": Profile.for_user(user).preferred_language,
    }


def account_export(*, user):
    data = {"exported_at": timezone.now().isoformat(), "account": _account(user)}
    for app in apps.get_app_configs():
        for path in getattr(app, "personal_data", ()):
            data[app.label] = import_string(path)(user)
    return data


@transaction.atomic
def account_delete(*, user):
    """Delete the account and everything personal with it (enrolments, progress, reviews, certificates,
    which stop opening). Quiz attempts stay, without a name, for the statistics instructors read."""
    user.delete()
