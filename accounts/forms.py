from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
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
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=150,
        help_text=_("Shown on your certificates. Without it, they show your username."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        initial = {
            "name": user.get_full_name(),
            "email": user.email,
            "preferred_language": Profile.for_user(user).preferred_language,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def clean_email(self):
        return _unique_email(self.cleaned_data["email"], exclude=self.user)

    def save(self):
        # The whole name lives in first_name: names are not split the same way in every language.
        self.user.first_name, self.user.last_name = self.cleaned_data["name"].strip(), ""
        self.user.email = self.cleaned_data["email"]
        self.user.save(update_fields=["first_name", "last_name", "email"])
        profile = Profile.for_user(self.user)
        profile.preferred_language = self.cleaned_data["preferred_language"]
        profile.save(update_fields=["preferred_language"])
        return profile


class ThrottledLoginMixin:
    """Counts every login attempt before its password is checked (accounts.throttle) and refuses it, without
    checking the password, once its username or address is over the limit: guessing stops even for the right
    password, and simultaneous attempts cannot all slip through."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        if not throttle.login_admitted(username, address):
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
        cleaned = super().clean()
        throttle.login_succeeded(username, address)
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, limited per email address and per client (accounts.throttle) before any email
    goes out."""

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not throttle.password_reset_admitted(email, throttle.client_address(self.request)):
            minutes = max(1, settings.PASSWORD_RESET_WINDOW // 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many password reset requests for this address or from your network. Please wait "
                    "%(minutes)d minute and try again; an email already sent stays valid.",
                    "Too many password reset requests for this address or from your network. Please wait "
                    "%(minutes)d minutes and try again; an email already sent stays valid.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        return cleaned


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password, counted like a login (accounts.throttle)."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        address = throttle.client_address(self.request)
        if not throttle.login_admitted(user.get_username(), address):
            raise forms.ValidationError(_("Too many wrong passwords. Please wait a few minutes and try again."))
        if not user.check_password(password):
            raise forms.ValidationError(_("That is not your password; nothing was deleted."))
        throttle.login_succeeded(user.get_username(), address)
        return password


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
