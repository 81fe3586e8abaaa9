from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.forms import LoginForm, ProfileForm, SignUpForm
from accounts.models import Profile
from kb import languages


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: anything else (a view name, a NUL, another host) goes to the dashboard.
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login, then on to the page asked for in the user's preferred language."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_success_url(self):
        url = super().get_success_url()
        preferred = Profile.for_user(self.request.user).preferred_language
        return languages.url_in(url, preferred)


def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to InfraLearn, %(name)s!") % {"name": user.get_username()})
        return redirect(languages.url_in(_safe_next(request), form.cleaned_data["preferred_language"]))
    return render(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Your settings were saved."))
        return redirect(languages.url_in(reverse("accounts:profile"), saved.preferred_language))
    return render(request, "registration/profile.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")
