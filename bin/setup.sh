# Shared by bin/demo and bin/test: install what the product needs on a Debian machine, idempotently.
# Sourced, not run.

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

# ensure_debian_packages PKG... : apt-get install those not installed yet.
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  if ! command -v apt-get >/dev/null; then
    echo "Please install these packages: ${missing[*]}" >&2; return 1
  fi
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_venv [runtime|dev] : .venv with the pinned packages of requirements/runtime.txt (the default) or
# requirements/dev.txt, installed again whenever that lock file changes (bin/lock writes them). Only pip is needed:
# --require-hashes refuses any file whose hash the lock does not list, and any package it does not pin.
ensure_venv() {
  local lock="requirements/${1:-runtime}.txt"
  if [[ ! -x .venv/bin/python ]]; then
    if ! python3 -m venv .venv 2>/dev/null; then
      rm -rf .venv
      ensure_debian_packages python3-venv
      python3 -m venv .venv
    fi
  fi
  local stamp=".venv/.installed-${1:-runtime}" checksum
  checksum=$(sha256sum "$lock" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(<"$stamp") != "$checksum" ]]; then
    echo "Installing the Python packages of $lock ..."
    # First the pinned pip (requirements/pip.txt): an older one misreads extras of pinned packages in hash mode.
    .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements/pip.txt
    .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
    echo "$checksum" >"$stamp"
  fi
}

# WeasyPrint needs Pango; DejaVu is the font the report is set in; the Noto fonts print the participants' quotes
# in every script of the region (Thai, Lao, Khmer, Myanmar, CJK, Devanagari, Bengali, Sinhala, Tibetan, Arabic,
# Thaana): without them a quote prints as empty boxes.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk)

# compile_catalogues : the gettext catalogues (locale/<language>/LC_MESSAGES/django.po) compiled into the .mo files
# Django reads; msgfmt comes with Debian's gettext.
compile_catalogues() {
  ensure_debian_packages gettext
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v0
}
