from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import throttle
from accounts.models import Profile

User = get_user_model()


def _unique_email(email, *, exclude=None):
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise forms.ValidationError(_("An account with this email address already exists."), code="duplicate_email")
    return email


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Used only to reset your password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The site switches to this language when you log in."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        return _unique_email(self.cleaned_data["email"])

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            Profile.objects.update_or_create(
                user=user, defaults={"preferred_language": self.cleaned_data["preferred_language"]}
            )
        return user


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        initial = {"email": user.email, "preferred_language": Profile.for_user(user).preferred_language}
        super().__init__(*args, initial=initial, **kwargs)

    def clean_email(self):
        return _unique_email(self.cleaned_data["email"], exclude=self.user)

    def save(self):
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["email"])
        profile = Profile.for_user(self.user)
        profile.preferred_language = self.cleaned_data["preferred_language"]
        profile.save(update_fields=["preferred_language"])
        return profile


class ThrottledLoginMixin:
    """Refuses a login while its username or address has failed too often (accounts.throttle), without
    checking the password, so that guessing stops even for the right one."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        if throttle.is_locked(username, address):
            minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed sign-in attempts for this account or from your network. "
                    "Signing in is paused; please try again in %(minutes)d minute.",
                    "Too many failed sign-in attempts for this account or from your network. "
                    "Signing in is paused; please try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.record_success(username)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
