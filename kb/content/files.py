"""Reading and writing content files: the checks and YAML conventions every content section shares."""

import datetime as dt
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.utils import timezone

from kb import languages
from kb.markup import MarkupError, check_markdown

# The largest values of PositiveSmallIntegerField and PositiveIntegerField on every database Django supports.
SMALL_NUMBER = 32_767
NUMBER = 2_147_483_647

# libyaml's parser when PyYAML was built with it (the wheels are): several times faster, same results.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text):
    return yaml.load(text, Loader=SafeLoader)


class ContentError(Exception):
    """One or more files cannot be imported; ``problems`` is a list of (path, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(f"{path}: {message}" for path, message in problems))


class Reader:
    """Reads files under a content folder and records every problem instead of stopping at the first."""

    def __init__(self, root):
        self.root = Path(root)
        self.problems = []

    def problem(self, path, message):
        self.problems.append((self._show(path), message))

    def _show(self, path):
        try:
            return str(Path(path).relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def inside(self, path):
        """False, with a problem recorded, for a path that leads out of the content folder (a symbolic link
        to elsewhere): an import reads the folder it is given and nothing beyond it."""
        try:
            Path(path).resolve().relative_to(self.root.resolve())
        except ValueError:
            self.problem(path, "is a link to a place outside the content folder; copy the file in instead.")
            return False
        return True

    def text(self, path):
        if not self.inside(path):
            return None
        try:
            content = Path(path).read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(path, f"not valid UTF-8 (byte {error.start}).")
            return None
        except OSError as error:
            self.problem(path, f"cannot be read: {error.strerror}.")
            return None
        if "\x00" in content:
            self.problem(path, "contains a NUL byte.")
            return None
        return content.replace("\r\n", "\n")

    def yaml(self, path):
        content = self.text(path)
        if content is None:
            return None
        try:
            return load_yaml(content)
        except yaml.YAMLError as error:
            self.problem(path, f"is not valid YAML: {yaml_error(error)}")
            return None

    def mappings(self, dirname, what):
        """Yield ``(path, data)`` for every YAML file in ``dirname`` that holds a mapping (one course, one quiz)."""
        folder = self.root / dirname
        if not folder.is_dir():
            return
        for path in sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"}):
            data = self.yaml(path)
            if data is None:
                continue
            if not isinstance(data, dict):
                self.problem(path, f"must be a mapping with slug, title and the other {what} keys.")
                continue
            yield path, data

    def yaml_list(self, path):
        data = self.yaml(path)
        if data is None:
            return []
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            self.problem(path, "must be a list of entries, each with a slug and a name.")
            return []
        return data

    def slug(self, path, value, what):
        if not isinstance(value, str) or not value:
            self.problem(path, f"{what} has no slug.")
            return None
        try:
            validate_unicode_slug(value)
        except ValidationError:
            self.problem(path, f"{what} slug {value!r} may only hold letters, digits, hyphens and underscores.")
            return None
        return value

    def file_slug(self, path, data, noun):
        """The slug of an item that has a file of its own (``courses/<slug>.yaml``): the file is named after it."""
        slug = self.slug(path, data.get("slug"), f"the {noun}")
        if slug is not None and path.stem != slug:
            self.problem(path, f"the file name must be the {noun}'s slug: {slug}.yaml")
        return slug

    def translations(self, path, value, what, *, required, max_length=None, markdown=False):
        """A ``{en: ..., zh-hant: ...}`` mapping; returns ``{}`` after recording a problem. ``markdown``: the
        texts are Markdown and must be within what the renderer takes (kb.markup.check_markdown)."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.problem(path, f"{what} must map language codes ({', '.join(languages.codes())}) to text.")
            return {}
        unknown = sorted(set(map(str, value)) - set(languages.codes()))
        if unknown:
            self.problem(path, f"{what} has unknown language code(s): {', '.join(unknown)}.")
            return {}
        result = {}
        for code, text in value.items():
            if text is None:
                continue
            if not isinstance(text, str):
                self.problem(path, f"{what} ({code}) must be text.")
                return {}
            if max_length and len(text) > max_length:
                self.problem(path, f"{what} ({code}) is longer than {max_length} characters.")
                return {}
            if markdown:
                try:
                    check_markdown(text)
                except MarkupError as error:
                    self.problem(path, f"{what} ({code}): {error}")
                    return {}
            result[code] = text.strip()
        if required and not result.get("en"):
            self.problem(path, f"{what} needs an English text (en).")
            return {}
        return result

    def unknown_keys(self, path, entry, keys, what):
        unknown = sorted(set(map(str, entry)) - set(keys))
        if unknown:
            self.problem(path, f"{what} has unknown key(s): {', '.join(unknown)}.")
        return bool(unknown)

    def whole_number(self, path, value, what, *, maximum=SMALL_NUMBER):
        """A whole number from 0 to ``maximum``, checked here because SQLite would store a number that
        PostgreSQL's column refuses."""
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
            self.problem(path, f"{what} must be a whole number from 0 to {maximum:,}, not {value!r}.")
            return None
        return value


def yaml_error(error):
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def moment(value):
    """A date or date-and-time from YAML (or an ISO string) as an aware UTC datetime; None if unreadable."""
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            result = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if timezone.is_naive(result):
        result = result.replace(tzinfo=dt.UTC)
    return result.astimezone(dt.UTC)


def yaml_moment(value):
    """The inverse of ``moment``: a date when the time is midnight UTC, else the date and time."""
    value = value.astimezone(dt.UTC)
    if value.time() == dt.time():
        return value.date()
    return value.replace(microsecond=0)


# Writing to the database


def assign(instance, values):
    """Set attributes; return True when any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def translated(name, texts):
    """``{"en": "x"}`` -> ``{"name_en": "x", "name_zh_hant": ""}``."""
    return {languages.localized(name, code): texts.get(code, "") for code in languages.codes()}


def save(kind, instance, values, report, *, is_new, write=None):
    """Create or update ``instance`` with ``values`` and count it in the report; True if it was written.
    ``write`` saves it (``instance.save`` when not given)."""
    write = write or instance.save
    if is_new:
        assign(instance, values)
        write()
        report.count("created", kind)
        return True
    if assign(instance, values):
        write()
        report.count("updated", kind)
        return True
    report.count("unchanged", kind)
    return False


# Writing files


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper, value):
    # Multi-line text (Markdown) reads best as a literal block.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper, value):
    # Lists of slugs read best on one line: tags: [docker, oci]
    flow = all(isinstance(item, str) and "\n" not in item for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data, *, flow=None):
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=flow)


def texts(instance, name):
    """The non-empty translations of a field: ``{"en": ..., "zh-hant": ...}``."""
    result = {}
    for code in languages.codes():
        value = getattr(instance, languages.localized(name, code)) or ""
        if value:
            result[code] = value
    return result
