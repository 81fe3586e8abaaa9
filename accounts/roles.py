"""Roles are groups. Instructors write content in the admin, so the group also decides staff access:
a user is staff exactly when they are a superuser or an instructor."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from kb.permissions import INSTRUCTORS

User = get_user_model()


def sync_staff(user):
    should_be_staff = user.is_superuser or user.groups.filter(name=INSTRUCTORS).exists()
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@receiver(m2m_changed, sender=User.groups.through)
def keep_instructors_staff(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # user.groups.add(...), .remove(...), .clear()
        if action in {"post_add", "post_remove", "post_clear"}:
            sync_staff(instance)
        return
    # group.user_set.add(...), .remove(...), .clear()
    if instance.name != INSTRUCTORS:
        return
    if action == "pre_clear":
        instance._members_before_clear = list(instance.user_set.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_members_before_clear", [])
    elif action not in {"post_add", "post_remove"}:
        return
    for user in User.objects.filter(pk__in=pk_set):
        sync_staff(user)
