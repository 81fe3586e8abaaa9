from pathlib import Path

import pytest

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@pytest.fixture
def content_dir():
    return CONTENT_DIR


@pytest.fixture
def starting_content(db):
    """The site's real starting content, imported the way `make run` imports it."""
    from kb.content import import_folder

    return import_folder(CONTENT_DIR)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("editor", password="x", is_staff=True)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("learner", password="x")
