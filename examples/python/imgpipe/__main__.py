"""``python -m imgpipe IN OUT [options]``: resize and re-encode one image."""

from imgpipe import _cli

_cli()
