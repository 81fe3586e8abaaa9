from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import mail, services
from accounts.forms import AccountDeleteForm, LoginForm, PasswordResetForm, ProfileForm, SignUpForm
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
    form = SignUpForm(request.POST or None, initial={"preferred_language": languages.current()})
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


@login_required
def account_export(request):
    """Everything the site holds about the signed-in learner, as a JSON file."""
    data = services.account_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="infralearn-{request.user.get_username()}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and everything the site held about you are deleted."))
        return redirect("home")
    return render(request, "registration/account_delete.html", {"form": form}, status=400 if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordResetView(auth_views.PasswordResetView):
    """Resets by email, limited per address and client. A server that cannot send email says so instead of
    pretending to send one."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "email_unavailable": not mail.can_send()}

    def post(self, request, *args, **kwargs):
        if not mail.can_send():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password-reset-complete")
