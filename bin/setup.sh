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

# ensure_venv [EXTRA] : .venv with the project's dependencies (and the extra, e.g. dev), reinstalled when
# pyproject.toml changes.
ensure_venv() {
  local extra=${1:-} spec="."
  [[ -n $extra ]] && spec=".[$extra]"
  if [[ ! -x .venv/bin/python ]]; then
    if ! python3 -m venv .venv 2>/dev/null; then
      rm -rf .venv
      ensure_debian_packages python3-venv
      python3 -m venv .venv
    fi
  fi
  local stamp=".venv/.installed-${extra:-runtime}"
  if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    echo "Installing Python packages ${spec} ..."
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
    touch "$stamp"
  fi
}

# WeasyPrint needs Pango; DejaVu is the font the report is set in; the Noto fonts print the participants' quotes
# in every script of the region (Thai, Lao, Khmer, Myanmar, CJK, Devanagari, Bengali, Sinhala, Tibetan, Arabic,
# Thaana): without them a quote prints as empty boxes.
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
