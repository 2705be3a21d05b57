"""gunicorn's settings for the web container (Dockerfile, docker-compose.yml): `gunicorn -c deploy/gunicorn.conf.py`.

Its own logs go through the product's filter too: the access log prints every path (a personal link's token is in
it) and the error log quotes bad request lines, so both mask e-mail addresses and tokens like every other log
(rocbap.logs). LOG_FORMAT=json makes them JSON lines as well. Options given on the command line win over these.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# The proxy in front (deploy/nginx.conf.template) waits as long for an answer; a longer job (a big import, the
# report PDF) runs in the Celery worker, not in a request.
timeout = 60
# gunicorn 23+ would otherwise make a control socket in the home folder, which the container's user cannot write.
control_socket_disable = True
# An access log, which gunicorn writes only when asked for one; the logging below decides where it goes.
accesslog = "-"

_formatter = "json" if os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json" else "plain"
_handler = {"class": "logging.StreamHandler", "formatter": _formatter, "filters": ["mask_personal_data"]}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "rocbap.logs.MaskPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "rocbap.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {**_handler, "stream": "ext://sys.stdout"},
        "stderr": {**_handler, "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
