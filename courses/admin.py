from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from courses.models import Course, Enrollment, Lesson, LessonArticle, LessonProgress
from kb.admin_base import AuthoringAdmin, SearchIndexedAdmin, truncated
from search import index


class LessonInline(TranslationTabularInline):
    model = Lesson
    fields = ("order", "slug", "title")
    extra = 0
    show_change_link = True


@admin.register(Course)
class CourseAdmin(SearchIndexedAdmin, AuthoringAdmin):
    markdown_fields = ("description",)
    # The level has a filter of its own; the estimated hours and the links to the course's pages are on its form.
    list_display = ("short_title", "topic", "status", "order", "translation_state")
    list_filter = ("status", "level", "topic")
    list_editable = ("order",)
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("topic",)
    inlines = [LessonInline]

    # A course is found by its text and its lessons' (saved with it, as inlines): SearchIndexedAdmin.


class LessonArticleInline(admin.TabularInline):
    model = LessonArticle
    fields = ("order", "article")
    autocomplete_fields = ("article",)
    extra = 1


@admin.register(Lesson)
class LessonAdmin(AuthoringAdmin):
    markdown_fields = ("intro",)
    list_display = ("short_title", "course_title", "order", "translation_state")
    list_filter = ("course",)
    list_select_related = ("course",)
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [LessonArticleInline]

    @admin.display(description=_("course"), ordering="course__order")
    def course_title(self, lesson):
        return truncated(lesson.course.title, width=28)

    # A lesson's title and introduction are part of its course's text in search.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        index.update(form.instance.course)

    def delete_model(self, request, obj):
        course = obj.course
        super().delete_model(request, obj)
        index.update(course)

    def delete_queryset(self, request, queryset):
        courses = list(Course.objects.filter(lessons__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        index.update(*courses)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at")
    list_filter = ("course",)
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson_title", "completed_at")
    list_filter = ("lesson__course",)
    list_select_related = ("user", "lesson")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "lesson")

    @admin.display(description=_("lesson"), ordering="lesson__title")
    def lesson_title(self, progress):
        return truncated(progress.lesson.title)
