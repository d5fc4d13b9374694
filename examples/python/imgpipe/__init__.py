"""imgpipe from Python: the image-processor component, run by wasmtime-py.

    import imgpipe
    out = imgpipe.process(open("photo.jpg", "rb").read(), format="webp", max_width=800)
    open("photo.webp", "wb").write(out.image)

Every failure the component reports is raised as a subclass of ``ImgpipeError`` named for
its WIT case (``DecodeFailed``, ``TooLarge``, ...), with ``.case`` (the WIT name) and the
component's message. The compiled code is cached by wasmtime, so only the first start
compiles it.

The component's types (its WIT) come from wasmtime-py's component API; calls go to its core
module through ``_canon``, which moves an image in and out as one memory copy each way.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import wasmtime
from wasmtime.component import (
    F32,
    Bool,
    Component,
    EnumType,
    ListType,
    OptionType,
    Record,
    RecordType,
    Variant,
)

from . import _canon

INTERFACE = "imgpipe:image/processor@0.1.0"
# The component's file inside the package, put there before the wheel is built.
PACKAGED_COMPONENT = "imgpipe_component.wasm"


@dataclass(frozen=True)
class Names:
    """The names the processor takes, read from the component's own types (its WIT), so this
    module holds no copy of them: ``formats`` (output formats), ``options`` (the fields of
    ``options`` as Python keywords, in the record's order), ``enums`` (the values of each enum
    option, e.g. ``enums["fit"]``), ``records`` (each record option's fields, in order, with
    their types, e.g. ``records["extract"]``) and ``errors`` (the error cases)."""

    formats: tuple
    options: tuple
    enums: dict
    records: dict
    errors: tuple


def _names(engine: wasmtime.Engine, component: Component) -> Names:
    interface = component.type.exports(engine)[INTERFACE].ty
    func = interface.exports(engine)["process-with-format"].ty
    params = dict(func.params)

    def enum(ty: Any) -> Optional[tuple]:
        if isinstance(ty, OptionType):
            ty = ty.payload
        return tuple(ty.names) if isinstance(ty, EnumType) else None

    def record(ty: Any) -> Optional[tuple]:
        if isinstance(ty, OptionType):
            ty = ty.payload
        return tuple(ty.fields) if isinstance(ty, RecordType) else None

    fields = [(name.replace("-", "_"), ty) for name, ty in params["options"].fields]
    return Names(
        formats=enum(params["format"]),
        options=tuple(name for name, _ in fields),
        enums={name: enum(ty) for name, ty in fields if enum(ty)},
        records={name: record(ty) for name, ty in fields if record(ty)},
        errors=tuple(case for case, _ in func.result.err.cases),
    )


class ImgpipeError(Exception):
    """A failure the component reported; ``case`` is the WIT error case. Each subclass is named
    for its case in CamelCase (``DecodeFailed`` is ``decode-failed``)."""

    case = "error"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.case = re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class EmptyInput(ImgpipeError):
    pass


class UnsupportedFormat(ImgpipeError):
    pass


class DecodeFailed(ImgpipeError):
    pass


class TooLarge(ImgpipeError):
    """``detail`` has ``limit-kind``, ``found``, ``limit``, ``width`` and ``height``."""


class InvalidOption(ImgpipeError):
    """``detail`` is the option's name."""


class EncodeFailed(ImgpipeError):
    pass


ERRORS = {cls.case: cls for cls in ImgpipeError.__subclasses__()}


@dataclass
class Processed:
    image: bytes
    width: int
    height: int
    format: str
    mime_type: str
    placeholder: Optional[str] = None


def default_component() -> Path:
    """$IMGPIPE_COMPONENT, else the component the installed package carries, else where the
    project's scripts build it ($CARGO_TARGET_DIR, or ~/.cache/imgpipe-target, the one target
    directory they share)."""
    if "IMGPIPE_COMPONENT" in os.environ:
        return Path(os.environ["IMGPIPE_COMPONENT"])
    packaged = Path(__file__).with_name(PACKAGED_COMPONENT)
    if packaged.exists():
        return packaged
    target = os.environ.get("CARGO_TARGET_DIR", str(Path.home() / ".cache/imgpipe-target"))
    return Path(target) / "component-build/wasm32-wasip2/component/imgpipe_component.wasm"


class Processor:
    """One component instance; replaced by a fresh one if a call ever traps."""

    def __init__(self, component: Optional[os.PathLike] = None):
        config = wasmtime.Config()
        config.cache = True  # compiled code cached on disk: later starts take milliseconds
        self._engine = wasmtime.Engine(config)
        binary = Path(component or default_component()).read_bytes()
        # The component gives the types (and is dropped once they are read); its core module
        # runs.
        component = Component(self._engine, binary)
        self._module = wasmtime.Module(self._engine, _canon.core_module_of(binary))
        self.names = _names(self._engine, component)
        interface = component.type.exports(self._engine)[INTERFACE].ty
        functions = interface.exports(self._engine)
        self._process_with_format, self._inspect, self._stats = (
            _canon.Function.of(name, functions[name].ty) for name in ("process-with-format", "inspect", "stats")
        )
        # One class per error case: a case the component has and this module lacks is a bug
        # here, found on the first start rather than on the first such error.
        missing = set(self.names.errors) - set(ERRORS)
        if missing:
            raise RuntimeError(f"the imgpipe package has no exception class for {', '.join(sorted(missing))}")
        self._instantiate()

    def _instantiate(self) -> None:
        self._core = _canon.Core(self._engine, self._module, INTERFACE)

    def _call(self, function: _canon.Function, *args: Any) -> Any:
        try:
            return self._core.call(function, *args)
        except _canon.InvalidValue as e:
            # Found before the call: the instance is untouched. `options.quality` names the
            # option `quality`.
            parts = e.path.split(".")
            option = parts[1] if parts[0] == "options" and len(parts) > 1 else parts[0]
            option = option.split("[")[0].replace("-", "_")
            raise InvalidOption(f"invalid option {option}: {e.problem}", option) from None
        except Exception:
            # A trap (or any failure inside a call) leaves the instance unusable: the next
            # call gets a fresh one.
            self._instantiate()
            raise

    def process(self, data: bytes, format: str = "jpeg", **options: Any) -> Processed:
        """Decode, orient, resize and encode ``data`` as ``format``.

        Options (all optional, the component's defaults otherwise) are the fields of the WIT
        ``options`` record with ``_`` for ``-`` (``self.names.options``); the enum ones take the
        WIT's values (``self.names.enums``); a record (``extract``, ``focal_point``, ``extend``,
        ``background``, ``overlay``) is a dict of its fields, a sequence of them in order, or the
        HTTP query's text (``"10,20,300,200"``); fields that are options may be left out, and
        ``background`` may leave out alpha. An overlay's ``image`` is bytes (base64 in text).
        """
        formats = self.names.formats
        if format not in formats:
            raise InvalidOption(f"invalid option format: must be one of {', '.join(formats)}, got {format!r}", "format")
        ok, result = self._call(self._process_with_format, bytes(data), self._options(options), format)
        if not ok:
            raise _error(result)
        return Processed(
            image=result.image,
            width=result.width,
            height=result.height,
            format=result.format,
            mime_type=getattr(result, "mime-type"),
            placeholder=result.placeholder,
        )

    def _options(self, options: dict) -> Record:
        names = self.names
        unknown = set(options) - set(names.options)
        if unknown:
            first = sorted(unknown)[0]
            raise InvalidOption(f"unknown option(s) {', '.join(sorted(unknown))}; known: {', '.join(names.options)}", first)
        # Enum values are checked here, so that the message lists the values as Python takes
        # them.
        for name, allowed in names.enums.items():
            value = options.get(name)
            if value is not None and value not in allowed:
                raise InvalidOption(f"invalid option {name}: must be one of {', '.join(allowed)}, got {value!r}", name)
        record = Record()
        for name in names.options:
            value = options.get(name)
            if name in names.records and value is not None:
                value = _record(name, value, names.records[name])
            setattr(record, name.replace("_", "-"), value)
        return record

    def inspect(self, data: bytes) -> dict:
        """Format, stored size, EXIF orientation, alpha and bit depth, from the header."""
        ok, result = self._call(self._inspect, bytes(data))
        if not ok:
            raise _error(result)
        return _plain(result)

    def stats(self) -> dict:
        """This instance's counters, with the WIT field names."""
        return _plain(self._call(self._stats))


def _record(name: str, value: Any, fields: tuple) -> Record:
    """A record option from a dict, a sequence in field order, or comma-separated text."""
    if isinstance(value, Record):
        return value
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
        # One number for every field (``extend="10"``), as the HTTP query takes it.
        if len(value) == 1 and len(fields) == 4 and name == "extend":
            value = value * 4
    if isinstance(value, dict):
        value = [value.get(field) for field, _ in fields]
    values = list(value)
    if name == "background" and len(values) == 3:
        values.append(255)
    # Optional fields may be left off the end.
    values += [None] * (len(fields) - len(values))
    order = ",".join(field for field, _ in fields)
    if len(values) != len(fields) or any(v is None and not isinstance(ty, OptionType) for (_, ty), v in zip(fields, values)):
        raise InvalidOption(f"invalid option {name}: must be {order} (a dict, a sequence or text), got {value!r}", name)
    out = Record()
    try:
        for (field, ty), v in zip(fields, values):
            setattr(out, field, _field(ty, v))
    except (ValueError, TypeError, binascii.Error) as e:
        raise InvalidOption(f"invalid option {name}: fields {order}: {e}", name) from None
    return out


_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _field(ty: Any, v: Any) -> Any:
    """One field of a record option as its WIT type wants it."""
    if isinstance(ty, OptionType):
        if v is None or v == "":
            return None
        ty = ty.payload
    if isinstance(ty, F32):
        return float(v)
    if isinstance(ty, Bool):
        if isinstance(v, bool):
            return v
        if str(v).lower() not in _BOOLEANS:
            raise ValueError(f"must be true or false, got {v!r}")
        return _BOOLEANS[str(v).lower()]
    if isinstance(ty, EnumType):
        if v not in ty.names:
            raise ValueError(f"must be one of {', '.join(ty.names)}, got {v!r}")
        return v
    if isinstance(ty, ListType):
        return bytes(v) if isinstance(v, (bytes, bytearray, memoryview)) else base64.b64decode(v, validate=True)
    return int(v)


def _error(variant: Variant) -> ImgpipeError:
    cls = ERRORS.get(variant.tag, ImgpipeError)
    payload = variant.payload
    if isinstance(payload, str):
        return cls(payload)
    if variant.tag == InvalidOption.case:
        return cls(payload.message, payload.name)
    return cls(payload.message, _plain(payload))


def _plain(value: Any) -> Any:
    """A Record as a dict (recursively), for printing and JSON."""
    if isinstance(value, Record):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_default: Optional[Processor] = None


def process(data: bytes, format: str = "jpeg", **options: Any) -> Processed:
    """``Processor().process`` on one shared instance, created on first use."""
    global _default
    if _default is None:
        _default = Processor()
    return _default.process(data, format, **options)


def main(argv: list[str]) -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Resize and re-encode an image with the imgpipe component.")
    parser.add_argument("input")
    parser.add_argument("output")
    processor = Processor()
    names = processor.names
    parser.add_argument("-f", "--format", choices=names.formats, help="default: the output's extension if it names a format, else jpeg")
    parser.add_argument("-W", "--max-width", type=int)
    parser.add_argument("-H", "--max-height", type=int)
    parser.add_argument("-q", "--quality", type=int)
    for name, values in names.enums.items():
        parser.add_argument(f"--{name.replace('_', '-')}", choices=values)
    args = parser.parse_args(argv)
    extension = Path(args.output).suffix.lower().lstrip(".")
    fmt = args.format or (extension if extension in names.formats else "jpeg")
    options = {k: v for k, v in vars(args).items() if k in names.options and v is not None}
    data = Path(args.input).read_bytes()
    started = time.perf_counter()
    try:
        out = processor.process(data, fmt, **options)
    except ImgpipeError as e:
        print(f"error: {e.case}: {e.message}", file=sys.stderr)
        return 1
    elapsed = (time.perf_counter() - started) * 1000
    Path(args.output).write_bytes(out.image)
    print(f"{args.input} -> {args.output}: {out.width}x{out.height} {out.mime_type}, {len(out.image)} bytes in {elapsed:.1f} ms")
    return 0


def _cli() -> None:
    """``imgpipe-py`` and ``python -m imgpipe``."""
    sys.exit(main(sys.argv[1:]))
