"""Fast test settings: the same PostgreSQL, cheaper password hashing, a fixed key (tests only)."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-never-deployed-" + "x" * 30
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Uploaded documents of a test run go to a temporary directory, not the checkout's var/.
# A server the tests start (``paritrana serve``) is given the test process's directory, so that its web
# and job processes share it.
PRIVATE_FILES_DIR = Path(  # noqa: F405
    os.environ.get("PARITRANA_FILES_DIR") or Path(tempfile.gettempdir()) / f"paritrana-test-files-{os.getpid()}"  # noqa: F405
)
