"""Re-index a page whenever something it is indexed with changes, in the same transaction."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from search import index


def connect():
    from courses.models import Course, Lesson
    from kb.models import Article, GlossaryTerm, Tag, Topic
    from search import glossary

    @receiver(post_save, sender=GlossaryTerm, weak=False)
    @receiver(post_delete, sender=GlossaryTerm, weak=False)
    def glossary_changed(sender, **kwargs):
        glossary.forget()

    @receiver(post_save, sender=Article, weak=False)
    def article_saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index.index_article(instance)

    @receiver(post_delete, sender=Article, weak=False)
    def article_deleted(sender, instance, **kwargs):
        index.remove("article", instance.pk)

    @receiver(m2m_changed, sender=Article.tags.through, weak=False)
    def article_tags_changed(sender, instance, action, reverse, **kwargs):
        if action.startswith("post_"):
            articles = [instance] if not reverse else instance.articles.all()
            for article in articles:
                index.index_article(article)

    @receiver(post_save, sender=Tag, weak=False)
    @receiver(post_save, sender=Topic, weak=False)
    def name_changed(sender, instance, created=False, raw=False, **kwargs):
        if created or raw:
            return
        for article in instance.articles.all():
            index.index_article(article)
        if sender is Topic:
            for course in instance.courses.all():
                index.index_course(course)

    # Deleting a tag removes its links to articles without m2m_changed: note the articles before, index after.
    @receiver(pre_delete, sender=Tag, weak=False)
    def tag_deleting(sender, instance, **kwargs):
        instance.search_articles = list(instance.articles.all())

    @receiver(post_delete, sender=Tag, weak=False)
    def tag_deleted(sender, instance, **kwargs):
        for article in getattr(instance, "search_articles", ()):
            index.index_article(article)

    @receiver(post_save, sender=Course, weak=False)
    def course_saved(sender, instance, raw=False, **kwargs):
        if not raw:
            index.index_course(instance)

    @receiver(post_delete, sender=Course, weak=False)
    def course_deleted(sender, instance, **kwargs):
        index.remove("course", instance.pk)

    @receiver(post_save, sender=Lesson, weak=False)
    @receiver(post_delete, sender=Lesson, weak=False)
    def lesson_changed(sender, instance, raw=False, **kwargs):
        if raw:
            return
        course = Course.objects.filter(pk=instance.course_id).first()
        if course is not None:
            index.index_course(course)
