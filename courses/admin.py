from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from courses.models import Course, Enrollment, Lesson, LessonArticle, LessonProgress
from kb.admin_base import AuthoringAdmin


class LessonInline(TranslationTabularInline):
    model = Lesson
    fields = ("order", "slug", "title")
    extra = 0
    show_change_link = True


@admin.register(Course)
class CourseAdmin(AuthoringAdmin):
    markdown_fields = ("description",)
    list_display = ("title", "topic", "level", "status", "order", "translation_state", "view_links")
    list_filter = ("status", "level", "topic")
    list_editable = ("order",)
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("topic",)
    inlines = [LessonInline]


class LessonArticleInline(admin.TabularInline):
    model = LessonArticle
    fields = ("order", "article")
    autocomplete_fields = ("article",)
    extra = 1


@admin.register(Lesson)
class LessonAdmin(AuthoringAdmin):
    markdown_fields = ("intro",)
    list_display = ("title", "course", "order", "translation_state", "view_links")
    list_filter = ("course",)
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [LessonArticleInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at")
    list_filter = ("course",)
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "completed_at")
    list_filter = ("lesson__course",)
    search_fields = ("user__username",)
    raw_id_fields = ("user", "lesson")
