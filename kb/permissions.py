"""Who authors content. One permission decides it everywhere: seeing drafts and scheduled articles, previews,
quiz statistics, the translation status and article history. The Instructors group holds it (migration
0009) and superusers hold every permission; being staff alone is not enough. Instructors are always staff
(accounts.roles keeps it so), which lets a learner's page skip the permission query."""

AUTHOR_CONTENT = "kb.author_content"


def can_author(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(AUTHOR_CONTENT))
