"""Logs as one JSON object per line on stdout, each carrying the id of the request it belongs to.

Containers are expected to write their logs to stdout and let the platform collect them; JSON lines keep
every field (request id, path, status, duration) searchable without parsing free text.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The request being handled by this thread (or task): set by RequestLogMiddleware.
current_request_id = ContextVar("current_request_id", default=None)


def _stamped_record_factory(factory):
    def make_record(*args, **kwargs):
        record = factory(*args, **kwargs)
        record.request_id = current_request_id.get()
        return record

    return make_record


# Every record remembers the request it was made in, whenever and wherever it is formatted.
if not getattr(logging.getLogRecordFactory(), "stamps_request_id", False):
    logging.setLogRecordFactory(_stamped_record_factory(logging.getLogRecordFactory()))
    logging.getLogRecordFactory().stamps_request_id = True

# Fields that log calls may pass with ``extra=`` and that are written out when present.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "remote_addr")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
