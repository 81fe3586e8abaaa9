"""The learner's journey in a real browser (fixtures in conftest.py)."""

import re

import pytest

from courses.models import Course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_learner_signs_up_in_chinese_enrols_and_sees_progress(page, live_server, starting_content):
    course = Course.objects.get(slug="operating-kubernetes")
    total = course.lessons.count()

    page.goto(f"{live_server.url}/zh-hant/courses/")
    page.get_by_role("link", name=course.title_zh_hant).click()
    page.wait_for_url(f"**/zh-hant/courses/{course.slug}/")
    # Anonymous, "enrol" leads to logging in (a link: pages for anonymous readers carry no form with a token).
    page.get_by_role("link", name="報名這門課程").click()
    page.wait_for_url(re.compile(rf"/zh-hant/accounts/login/\?next=/zh-hant/courses/{course.slug}/$"))

    page.get_by_role("link", name="建立帳號").click()
    page.get_by_label("使用者名稱").fill("xiaoming")
    page.get_by_label("電子郵件").fill("xiaoming@example.com")
    page.get_by_label("密碼：", exact=True).fill("Kubernetes-Is-Fun-42")
    page.get_by_label("密碼確認").fill("Kubernetes-Is-Fun-42")
    page.get_by_label("偏好語言").select_option("zh-hant")
    page.get_by_role("button", name="註冊").click()
    page.wait_for_url(f"**/zh-hant/courses/{course.slug}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"

    page.get_by_role("button", name="報名這門課程").click()
    assert "報名完成" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="開始第一個單元").click()
    page.get_by_role("button", name="標記為完成").click()
    assert "已將這個單元標記為完成" in page.locator(".messages").inner_text()
    page.locator("a[rel=next]").click()
    page.get_by_role("button", name="標記為完成").click()

    page.get_by_role("link", name="我的學習").click()
    page.wait_for_url("**/zh-hant/dashboard/")
    progress = page.locator(".dashboard-course progress")
    assert progress.get_attribute("value") == "2"
    assert progress.get_attribute("max") == str(total)
    assert f"已完成 2/{total} 個單元" in page.locator(".dashboard-course .progress-text").inner_text()
    assert page.locator(".resume a.button").inner_text().startswith(course.lessons.order_by("order")[2].title_zh_hant)
