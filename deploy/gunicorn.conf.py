"""gunicorn's settings for the web container (Dockerfile, docker-compose.yml): `gunicorn -c deploy/gunicorn.conf.py`.

Its own logs go through the product's filter too: the access log prints every path (a personal link's token is in
it) and the error log quotes bad request lines, so both mask e-mail addresses and tokens like every other log
(rocbap.logs). LOG_FORMAT=json makes them JSON lines as well. Options given on the command line win over these.
"""

import os
import sys
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# The proxy in front (deploy/nginx.conf.template) waits as long for an answer; a longer job (a big import, the
# report PDF) runs in the Celery worker, not in a request.
timeout = 60
# gunicorn 23+ would otherwise make a control socket in the home folder, which the container's user cannot write.
control_socket_disable = True
# An access log, which gunicorn writes only when asked for one; the logging below decides where it goes.
accesslog = "-"

# The product's one logging configuration (rocbap.logs), so that gunicorn's lines are masked and formatted as the
# application's are. The project's folder is put on the path first: gunicorn reads this file before the app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rocbap.logs import logging_config  # noqa: E402

logconfig_dict = logging_config(os.environ.get("LOG_FORMAT", "plain"), os.environ.get("LOG_LEVEL", "INFO").upper())
