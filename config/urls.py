from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config import views
from config.sitemaps import sitemaps

# The admin carries the site's name; "View site" goes to the home page in the reader's language.
admin.site.site_header = "InfraLearn"
admin.site.site_title = _("InfraLearn admin")

handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("favicon.ico", views.icon, {"name": "favicon.ico"}),
    path("apple-touch-icon.png", views.icon, {"name": "apple-touch-icon.png"}),
    path("admin/", admin.site.urls),
    path("", include("kb.image_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("kb.urls")),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("learning.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("authoring.urls")),
)
