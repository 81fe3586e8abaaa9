import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from accounts.models import Profile

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Correct-Horse-Battery-42"


def signup_data(**overrides):
    return {
        "username": "mei",
        "email": "mei@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "preferred_language": "zh-hant",
        **overrides,
    }


@pytest.fixture
def member(db):
    user = User.objects.create_user("member", email="member@example.com", password=PASSWORD)
    Profile.objects.create(user=user, preferred_language="zh-hant")
    return user


class TestSignUp:
    @pytest.mark.parametrize(("lang", "heading"), [("en", "Create your account"), ("zh-hant", "建立你的帳號")])
    def test_page_in_both_languages(self, client, lang, heading):
        response = client.get(f"/{lang}/accounts/signup/")
        assert response.status_code == 200
        assert heading in response.content.decode()

    @pytest.mark.parametrize("lang", ["en", "zh-hant"])
    def test_the_preferred_language_starts_as_the_pages(self, client, lang):
        html = client.get(f"/{lang}/accounts/signup/").content.decode()
        selected = re.findall(r'<option value="([^"]+)"[^>]*selected', html)
        assert selected == [lang]

    def test_sign_up_logs_in_and_switches_to_the_chosen_language(self, client):
        response = client.post("/en/accounts/signup/?next=/en/courses/", signup_data())
        assert response.status_code == 302
        assert response["Location"] == "/zh-hant/courses/"
        user = User.objects.get(username="mei")
        assert user.email == "mei@example.com"
        assert user.profile.preferred_language == "zh-hant"
        assert client.get("/zh-hant/dashboard/").status_code == 200

    def test_without_next_goes_to_the_dashboard(self, client):
        response = client.post("/zh-hant/accounts/signup/", signup_data(preferred_language="en"))
        assert response["Location"] == "/en/dashboard/"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"password2": "something-else-42"}, "輸入的兩個密碼不一致"),
            ({"password1": "12345678", "password2": "12345678"}, "這個密碼太常見了"),
            ({"email": "not-an-email"}, "有效的電子郵件"),
            ({"username": "member"}, "相同名稱的使用者已經存在"),
            ({"email": "MEMBER@example.com"}, "已經有帳號使用這個電子郵件地址"),
            ({"preferred_language": "fr"}, "不是一個可用的選項"),
            ({"username": "x" * 200}, "至多包含 150 個字"),
        ],
    )
    def test_bad_input_is_explained_in_the_readers_language_and_creates_nothing(
        self, client, member, overrides, message
    ):
        before = User.objects.count()
        response = client.post("/zh-hant/accounts/signup/", signup_data(**overrides))
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html, re.findall(r'<ul class="errorlist".*?</ul>', html)
        assert User.objects.count() == before

    def test_nul_bytes_are_refused_without_an_error_page(self, client):
        response = client.post("/en/accounts/signup/", signup_data(username="bad\x00name"))
        assert response.status_code == 200
        assert not User.objects.filter(email="mei@example.com").exists()

    def test_unsafe_next_is_ignored(self, client):
        response = client.post("/en/accounts/signup/?next=https://evil.example/", signup_data())
        assert response["Location"] == "/zh-hant/dashboard/"


class TestLogInAndOut:
    def test_wrong_password_is_explained(self, client, member):
        response = client.post("/zh-hant/accounts/login/", {"username": "member", "password": "nope"})
        assert response.status_code == 200
        assert "和密碼。請注意兩者皆區分大小寫" in response.content.decode()

    def test_login_switches_to_the_preferred_language_and_keeps_the_page(self, client, member):
        response = client.post(
            "/en/accounts/login/", {"username": "member", "password": PASSWORD, "next": "/en/courses/operating/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/zh-hant/courses/operating/"

    def test_login_remembers_the_language_for_the_root_address(self, client, member):
        response = client.post("/en/accounts/login/", {"username": "member", "password": PASSWORD})
        client.get(response["Location"])
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/zh-hant/"

    def test_users_without_a_profile_get_one_on_login(self, client):
        User.objects.create_user("old", password=PASSWORD)
        response = client.post("/en/accounts/login/", {"username": "old", "password": PASSWORD})
        assert response["Location"] == "/en/dashboard/"
        assert Profile.objects.get(user__username="old").preferred_language == "en"

    def test_logout_is_a_post(self, client, member):
        client.force_login(member)
        assert client.get("/en/accounts/logout/").status_code == 405
        response = client.post("/en/accounts/logout/")
        assert response.status_code == 302
        assert client.get("/en/dashboard/").status_code == 302  # logged out: sent to log in

    def test_header_shows_the_account_when_logged_in(self, client, member):
        assert "註冊" in client.get("/zh-hant/").content.decode()
        client.force_login(member)
        html = client.get("/zh-hant/").content.decode()
        assert "登出" in html and "member" in html


class TestPasswords:
    def test_change_password(self, client, member):
        client.force_login(member)
        assert "變更密碼" in client.get("/zh-hant/accounts/password/change/").content.decode()
        response = client.post(
            "/zh-hant/accounts/password/change/",
            {"old_password": PASSWORD, "new_password1": "An0ther-Passphrase", "new_password2": "An0ther-Passphrase"},
        )
        assert response["Location"] == "/zh-hant/accounts/password/change/done/"
        member.refresh_from_db()
        assert member.check_password("An0ther-Passphrase")

    @pytest.mark.parametrize(
        ("lang", "subject"), [("en", "Reset your InfraLearn password"), ("zh-hant", "重設你的 InfraLearn 密碼")]
    )
    def test_reset_by_email_in_the_readers_language(self, client, member, lang, subject):
        response = client.post(f"/{lang}/accounts/password/reset/", {"email": "member@example.com"})
        assert response["Location"] == f"/{lang}/accounts/password/reset/sent/"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == subject
        link = re.search(r"http://testserver(/\S+/)", message.body).group(1)
        assert link.startswith(f"/{lang}/accounts/password/reset/")
        form = client.get(link, follow=True)
        assert form.status_code == 200
        response = client.post(
            form.redirect_chain[-1][0], {"new_password1": "Fresh-Passphrase-7", "new_password2": "Fresh-Passphrase-7"}
        )
        assert response["Location"] == f"/{lang}/accounts/password/reset/done/"
        member.refresh_from_db()
        assert member.check_password("Fresh-Passphrase-7")
        assert client.get(link, follow=True).context["validlink"] is False  # the link works once

    def test_unknown_address_gets_the_same_answer_and_no_mail(self, client):
        response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.com"})
        assert response["Location"] == "/en/accounts/password/reset/sent/"
        assert mail.outbox == []

    @pytest.mark.parametrize(
        ("lang", "message"), [("en", "Too many password reset requests"), ("zh-hant", "重設密碼的要求太多")]
    )
    def test_resets_for_one_address_are_limited(self, client, member, lang, message):
        answers = [
            client.post(f"/{lang}/accounts/password/reset/", {"email": "member@example.com"}, REMOTE_ADDR=f"10.0.0.{n}")
            for n in range(20)
        ]
        assert len(mail.outbox) == 3
        assert [a.status_code for a in answers[:3]] == [302] * 3
        assert all(a.status_code == 200 and message in a.content.decode() for a in answers[3:])

    def test_resets_from_one_client_are_limited(self, client, django_user_model):
        for n in range(15):
            django_user_model.objects.create_user(f"user{n}", email=f"user{n}@example.com", password="x")
            client.post("/en/accounts/password/reset/", {"email": f"user{n}@example.com"}, REMOTE_ADDR="192.0.2.9")
        assert len(mail.outbox) == 10

    def test_a_server_without_email_says_so_and_logs_no_link(self, client, member, settings, caplog):
        settings.EMAIL_BACKEND = "accounts.mail.UnsentEmailBackend"
        page = client.get("/en/accounts/password/reset/").content.decode()
        assert "This site cannot send email yet" in page and 'name="email"' not in page
        client.post("/en/accounts/password/reset/", {"email": "member@example.com"})
        with caplog.at_level(logging.DEBUG):
            mail.send_mail(
                "Reset", "Follow /en/accounts/password/reset/MQ/secret-token-123/", None, ["member@example.com"]
            )
        assert "secret-token-123" not in caplog.text and "email not sent" in caplog.text


class TestProfile:
    def test_needs_login(self, client):
        response = client.get("/en/accounts/profile/")
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=/en/accounts/profile/")

    def test_change_language_and_email(self, client, member):
        client.force_login(member)
        response = client.post("/zh-hant/accounts/profile/", {"email": "new@example.com", "preferred_language": "en"})
        assert response["Location"] == "/en/accounts/profile/"
        member.refresh_from_db()
        assert member.email == "new@example.com"
        assert member.profile.preferred_language == "en"

    def test_email_taken_by_someone_else_is_refused(self, client, member):
        User.objects.create_user("other", email="other@example.com", password=PASSWORD)
        client.force_login(member)
        response = client.post("/en/accounts/profile/", {"email": "other@example.com", "preferred_language": "en"})
        assert response.status_code == 200
        assert "An account with this email address already exists." in response.content.decode()
        member.refresh_from_db()
        assert member.email == "member@example.com"


class TestRoles:
    def test_joining_instructors_grants_admin_access_and_leaving_removes_it(self, member):
        instructors = Group.objects.get(name="Instructors")
        member.groups.add(instructors)
        member.refresh_from_db()
        assert member.is_staff
        member.groups.remove(instructors)
        member.refresh_from_db()
        assert not member.is_staff

    def test_adding_from_the_group_side_works_too(self, member):
        instructors = Group.objects.get(name="Instructors")
        instructors.user_set.add(member)
        member.refresh_from_db()
        assert member.is_staff
        instructors.user_set.clear()
        member.refresh_from_db()
        assert not member.is_staff

    def test_superusers_stay_staff(self, db):
        boss = User.objects.create_superuser("boss", password=PASSWORD)
        boss.groups.clear()
        boss.refresh_from_db()
        assert boss.is_staff

    def test_instructors_can_change_but_not_delete_content(self):
        permissions = set(Group.objects.get(name="Instructors").permissions.values_list("codename", flat=True))
        for model in ("article", "topic", "tag", "glossaryterm", "course", "lesson", "quiz", "question", "choice"):
            assert f"change_{model}" in permissions and f"add_{model}" in permissions
            assert f"delete_{model}" not in permissions
