"""Who authors content. One permission decides it everywhere: seeing drafts and scheduled articles, previews,
quiz statistics, the translation status and article history. The Instructors group holds it (migration
0009) and superusers hold every permission; being staff alone is not enough. Instructors are always staff
(accounts.roles keeps it so), which lets a learner's page skip the permission query.

The data migrations that give the Instructors group its permissions (in kb, courses and quizzes) use the
helpers below."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

AUTHOR_CONTENT = "kb.author_content"


def can_author(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(AUTHOR_CONTENT))


def authors_only(view):
    """Authors get the view; anyone else signed in gets 403; anonymous visitors are sent to log in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_author(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


INSTRUCTORS = "Instructors"
EDITING = ("add", "change", "view")


def grant_to_instructors(apps, app_label, models, actions=EDITING):
    """Give the Instructors group ``actions`` on ``models`` of ``app_label`` (never delete: only superusers do)."""
    grant_codenames_to_instructors(apps, app_label, [f"{action}_{model}" for model in models for action in actions])


def grant_codenames_to_instructors(apps, app_label, codenames):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure the ones needed exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=INSTRUCTORS)
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    group.permissions.add(*permissions)


def revoke_from_instructors(apps, app_label):
    permissions = apps.get_model("auth", "Permission").objects.filter(content_type__app_label=app_label)
    for group in apps.get_model("auth", "Group").objects.filter(name=INSTRUCTORS):
        group.permissions.remove(*permissions)
