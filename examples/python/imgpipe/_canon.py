"""The component's core module, run directly, with the component model's canonical ABI done
here in Python: what makes an image cross into the component as one memory write.

wasmtime-py's component API passes a ``list<u8>`` through wasmtime's C API as one tagged
32-byte value per byte, which wasmtime then lowers one element at a time: most of the 82 ms an
830 KB photo's call took, against 19 ms now. Here the component's main core module
(the first one in the component binary) is instantiated on its own with wasmtime's core API,
its few WASI imports are answered in Python (stderr only: nothing else is granted, as with the
component API), and values are laid out in its memory by the canonical ABI's rules, from the
types wasmtime-py reads out of the component (so this module holds no copy of the WIT).
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import wasmtime
from wasmtime.component import (
    F32,
    F64,
    S8,
    S16,
    S32,
    S64,
    U8,
    U16,
    U32,
    U64,
    Bool,
    Char,
    EnumType,
    FlagsType,
    ListType,
    OptionType,
    Record,
    RecordType,
    ResultType,
    String,
    TupleType,
    Variant,
    VariantType,
)

# The canonical ABI's limits on values passed as core parameters and results; beyond them a
# call passes one pointer to the values in linear memory.
MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1

_PRIMITIVES: Dict[type, Tuple[str, int]] = {
    Bool: ("<B", 1),
    U8: ("<B", 1),
    S8: ("<b", 1),
    U16: ("<H", 2),
    S16: ("<h", 2),
    U32: ("<I", 4),
    S32: ("<i", 4),
    U64: ("<Q", 8),
    S64: ("<q", 8),
    F32: ("<f", 4),
    F64: ("<d", 8),
    Char: ("<I", 4),
}


def core_module_of(component: bytes) -> bytes:
    """The first core module of a component binary: the program itself (wit-component puts
    its small shim and fixup modules after it)."""
    if component[:4] != b"\0asm" or component[4:8] != b"\x0d\x00\x01\x00":
        raise ValueError("not a WebAssembly component")
    at = 8
    while at < len(component):
        section = component[at]
        size, at = _leb128(component, at + 1)
        if section == 1:  # a core module
            return component[at : at + size]
        at += size
    raise ValueError("the component holds no core module")


def _leb128(data: bytes, at: int) -> Tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _align(at: int, alignment: int) -> int:
    return (at + alignment - 1) // alignment * alignment


class Type:
    """A WIT type as the canonical ABI sees it, converted once from wasmtime-py's type objects
    (which are fetched from the C API on every access): its kind, size, alignment, the number
    of core values it flattens to, and what it is made of."""

    __slots__ = ("kind", "pack", "size", "align", "flat", "element", "fields", "cases", "disc", "payload_at")

    def __init__(self, kind: str, size: int, align: int, flat: int, **parts: Any):
        self.kind, self.size, self.align, self.flat = kind, size, align, flat
        self.pack: str = parts.get("pack", "")
        self.element: Optional[Type] = parts.get("element")
        self.fields: List[Tuple[str, Type, int]] = parts.get("fields", [])  # name, type, offset
        self.cases: List[Tuple[str, Optional[Type]]] = parts.get("cases", [])
        self.disc: str = parts.get("disc", "")
        self.payload_at: int = parts.get("payload_at", 0)

    @staticmethod
    def of(ty: Any) -> "Type":
        """The canonical view of a wasmtime-py component type."""
        primitive = _PRIMITIVES.get(type(ty))
        if primitive:
            kind = "bool" if isinstance(ty, Bool) else "char" if isinstance(ty, Char) else "float" if isinstance(ty, (F32, F64)) else "int"
            return Type(kind, primitive[1], primitive[1], 1, pack=primitive[0])
        if isinstance(ty, String):
            return Type("string", 8, 4, 2)
        if isinstance(ty, ListType):
            element = Type.of(ty.element)
            return Type("bytes" if element.pack == "<B" and element.kind == "int" else "list", 8, 4, 2, element=element)
        if isinstance(ty, (RecordType, TupleType)):
            named = list(ty.fields) if isinstance(ty, RecordType) else [(str(i), t) for i, t in enumerate(ty.elements)]
            fields, size, align, flat = [], 0, 1, 0
            for name, field_type in named:
                field = Type.of(field_type)
                size = _align(size, field.align)
                fields.append((name, field, size))
                size += field.size
                align, flat = max(align, field.align), flat + field.flat
            kind = "record" if isinstance(ty, RecordType) else "tuple"
            return Type(kind, _align(size, align), align, flat, fields=fields)
        if isinstance(ty, FlagsType):
            names = list(ty.names)
            size = 1 if len(names) <= 8 else 2 if len(names) <= 16 else 4 * ((len(names) + 31) // 32)
            return Type("flags", size, min(size, 4), max(1, (len(names) + 31) // 32), cases=[(n, None) for n in names])
        if isinstance(ty, VariantType):
            kind, named = "variant", list(ty.cases)
        elif isinstance(ty, OptionType):
            kind, named = "option", [("none", None), ("some", ty.payload)]
        elif isinstance(ty, ResultType):
            kind, named = "result", [("ok", ty.ok), ("err", ty.err)]
        elif isinstance(ty, EnumType):
            kind, named = "enum", [(name, None) for name in ty.names]
        else:
            raise TypeError(f"no canonical layout for {ty!r}")
        cases = [(name, None if t is None else Type.of(t)) for name, t in named]
        disc, disc_size = ("<B", 1) if len(cases) <= 1 << 8 else ("<H", 2) if len(cases) <= 1 << 16 else ("<I", 4)
        payloads = [t for _, t in cases if t is not None]
        align = max([disc_size] + [t.align for t in payloads])
        payload_at = _align(disc_size, align)
        size = _align(payload_at + max([0] + [t.size for t in payloads]), align)
        flat = 1 + max([0] + [t.flat for t in payloads])
        return Type(kind, size, align, flat, cases=cases, disc=disc, payload_at=payload_at)


@dataclass
class Function:
    """An export of the interface: its parameters' names (the WIT's) and canonical types, and
    its result's."""

    name: str
    names: List[str]
    params: List[Type]
    result: Type

    @staticmethod
    def of(name: str, ty: Any) -> "Function":
        params = list(ty.params)
        return Function(name, [n for n, _ in params], [Type.of(t) for _, t in params], Type.of(ty.result))


class InvalidValue(ValueError):
    """A value that does not fit its WIT type, found before anything reaches the instance;
    ``path`` names where (``options.quality``)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


_RANGES = {"<B": (0, 2**8 - 1), "<b": (-(2**7), 2**7 - 1), "<H": (0, 2**16 - 1), "<h": (-(2**15), 2**15 - 1),
           "<I": (0, 2**32 - 1), "<i": (-(2**31), 2**31 - 1), "<Q": (0, 2**64 - 1), "<q": (-(2**63), 2**63 - 1)}


def check(t: Type, value: Any, path: str) -> None:
    """Raises InvalidValue unless `value` can be laid out as `t`."""
    kind = t.kind
    if kind == "int":
        low, high = _RANGES[t.pack]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(path, f"must be a whole number from {low} to {high}, got {value!r}")
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidValue(path, f"must be a number, got {value!r}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise InvalidValue(path, f"must be true or false, got {value!r}")
    elif kind == "char":
        if not (isinstance(value, str) and len(value) == 1):
            raise InvalidValue(path, f"must be one character, got {value!r}")
    elif kind == "string":
        if not isinstance(value, str):
            raise InvalidValue(path, f"must be text, got {type(value).__name__}")
    elif kind == "bytes":
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise InvalidValue(path, f"must be bytes, got {type(value).__name__}")
    elif kind == "list":
        assert t.element is not None
        for i, item in enumerate(value):
            check(t.element, item, f"{path}[{i}]")
    elif kind == "record":
        for name, field, _ in t.fields:
            item = getattr(value, name, None)
            if item is None and field.kind != "option":
                raise InvalidValue(f"{path}.{name}", "is required")
            check(field, item, f"{path}.{name}")
    elif kind == "tuple":
        if len(value) != len(t.fields):
            raise InvalidValue(path, f"must have {len(t.fields)} items")
        for (name, field, _), item in zip(t.fields, value):
            check(field, item, f"{path}.{name}")
    elif kind == "flags":
        unknown = set(value) - {name for name, _ in t.cases}
        if unknown:
            raise InvalidValue(path, f"unknown flags {sorted(unknown)}")
    elif kind == "option":
        case = t.cases[1][1]
        if value is not None and case is not None:
            check(case, value, path)
    elif kind == "enum":
        names = [name for name, _ in t.cases]
        if value not in names:
            raise InvalidValue(path, f"must be one of {', '.join(names)}, got {value!r}")
    elif kind == "result":
        ok, payload = value
        case = t.cases[0 if ok else 1][1]
        if case is not None:
            check(case, payload, path)
    else:
        cases = dict(t.cases)
        if not isinstance(value, Variant) or value.tag not in cases:
            raise InvalidValue(path, f"must be one of the cases {', '.join(cases)}")
        if cases[value.tag] is not None:
            check(cases[value.tag], value.payload, f"{path}.{value.tag}")


class Core:
    """One instance of the component's core module, with its memory and allocator."""

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module, interface: str):
        self.store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        for item in module.imports:
            implementation = _WASI.get((item.module, item.name))
            if implementation is None:
                raise RuntimeError(f"the component imports {item.module}#{item.name}, which this package does not provide")
            linker.define_func(item.module, item.name, item.type, implementation(self))
        self.instance = linker.instantiate(self.store, module)
        exports = self.instance.exports(self.store)
        self.memory: wasmtime.Memory = exports["memory"]
        self._realloc = exports["cabi_realloc"]
        self._exports = exports
        self.interface = interface

    # Memory.

    def alloc(self, size: int, align: int) -> int:
        return self._realloc(self.store, 0, 0, align, size)

    def _at(self, address: int, size: int) -> int:
        """The host address of `size` bytes at `address` in linear memory (asked afresh each
        time: the memory moves when it grows)."""
        if address < 0 or address + size > self.memory.data_len(self.store):
            raise IndexError(f"{size} bytes at {address} are outside the instance's memory")
        return ctypes.addressof(self.memory.data_ptr(self.store).contents) + address

    def write(self, address: int, data: Any) -> None:
        """Copies bytes, a bytearray or a memoryview into linear memory (one copy)."""
        if data:
            source = data if isinstance(data, bytes) else (ctypes.c_char * len(data)).from_buffer(bytearray(data) if isinstance(data, memoryview) else data)
            ctypes.memmove(self._at(address, len(data)), source, len(data))

    def read(self, address: int, size: int) -> bytes:
        return ctypes.string_at(self._at(address, size), size) if size else b""

    # Calls.

    def call(self, function: Function, *values: Any) -> Any:
        """Calls the interface's export `function` with `values` (checked first: InvalidValue
        leaves the instance untouched); returns its result's value (a `result` as
        `(is_ok, payload)`)."""
        for name, t, value in zip(function.names, function.params, values):
            check(t, value, name)
        func = self._exports[f"{self.interface}#{function.name}"]
        if sum(t.flat for t in function.params) > MAX_FLAT_PARAMS:
            size, align = 0, 1
            for t in function.params:
                size, align = _align(size, t.align) + t.size, max(align, t.align)
            address = self.alloc(_align(size, align), align)
            block, at = bytearray(_align(size, align)), 0
            for t, value in zip(function.params, values):
                at = _align(at, t.align)
                self._store(block, at, t, value)
                at += t.size
            self.write(address, block)
            args: List[Any] = [address]
        else:
            args = []
            for t, value in zip(function.params, values):
                args.extend(self._flat(t, value))
        returned = func(self.store, *args)
        result = function.result
        if result.flat > MAX_FLAT_RESULTS:
            value = self._load(self.read(returned, result.size), 0, result)
        elif result.kind in ("int", "float", "bool"):
            value = bool(returned) if result.kind == "bool" else returned
        else:
            raise TypeError(f"{result.kind} is not returned flat here")
        post = self._exports.get(f"cabi_post_{self.interface}#{function.name}")
        if post is not None:
            post(self.store, returned)
        return value

    def _flat(self, t: Type, value: Any) -> List[Any]:
        """A parameter as core values; only the simple ones the interface passes flat."""
        if t.kind in ("string", "bytes", "list"):
            return list(self._lower_sequence(t, value))
        if t.kind in ("int", "bool"):
            return [int(value)]
        if t.kind == "float":
            return [float(value)]
        raise TypeError(f"{t.kind} is not passed flat here")

    # Lowering: Python values into memory.

    def _lower_sequence(self, t: Type, value: Any) -> Tuple[int, int]:
        """A string or list written to fresh memory: (address, length)."""
        if t.kind in ("string", "bytes"):
            data = value.encode("utf-8") if t.kind == "string" else value
            address = self.alloc(len(data), 1)
            self.write(address, data)  # an image: one copy
            return address, len(data)
        element, items = t.element, list(value)
        assert element is not None
        block = bytearray(element.size * len(items))
        for i, item in enumerate(items):
            self._store(block, i * element.size, element, item)
        address = self.alloc(len(block), element.align)
        self.write(address, block)
        return address, len(items)

    def _store(self, block: bytearray, at: int, t: Type, value: Any) -> None:
        kind = t.kind
        if kind in ("int", "float", "bool"):
            struct.pack_into(t.pack, block, at, value)
        elif kind == "char":
            struct.pack_into(t.pack, block, at, ord(value))
        elif kind in ("string", "bytes", "list"):
            struct.pack_into("<II", block, at, *self._lower_sequence(t, value))
        elif kind == "record":
            for name, field, offset in t.fields:
                self._store(block, at + offset, field, getattr(value, name, None))
        elif kind == "tuple":
            for (_, field, offset), item in zip(t.fields, value):
                self._store(block, at + offset, field, item)
        elif kind == "flags":
            bits = sum(1 << i for i, (name, _) in enumerate(t.cases) if name in value)
            block[at : at + t.size] = bits.to_bytes(t.size, "little")
        else:
            if kind == "option":
                index, payload = (0, None) if value is None else (1, value)
            elif kind == "enum":
                index, payload = [name for name, _ in t.cases].index(value), None
            elif kind == "result":
                ok, payload = value
                index = 0 if ok else 1
            else:
                index, payload = [name for name, _ in t.cases].index(value.tag), value.payload
            struct.pack_into(t.disc, block, at, index)
            case = t.cases[index][1]
            if case is not None:
                self._store(block, at + t.payload_at, case, payload)

    # Lifting: values out of memory into Python.

    def _load(self, data: bytes, at: int, t: Type) -> Any:
        kind = t.kind
        if kind in ("int", "float", "bool", "char"):
            value = struct.unpack_from(t.pack, data, at)[0]
            return bool(value) if kind == "bool" else chr(value) if kind == "char" else value
        if kind in ("string", "bytes", "list"):
            address, length = struct.unpack_from("<II", data, at)
            if kind == "string":
                return self.read(address, length).decode("utf-8")
            if kind == "bytes":
                return self.read(address, length)
            element = t.element
            assert element is not None
            items = self.read(address, element.size * length)
            return [self._load(items, i * element.size, element) for i in range(length)]
        if kind == "record":
            record = Record()
            for name, field, offset in t.fields:
                setattr(record, name, self._load(data, at + offset, field))
            return record
        if kind == "tuple":
            return tuple(self._load(data, at + offset, field) for _, field, offset in t.fields)
        if kind == "flags":
            bits = int.from_bytes(data[at : at + t.size], "little")
            return {name for i, (name, _) in enumerate(t.cases) if bits >> i & 1}
        index = struct.unpack_from(t.disc, data, at)[0]
        if index >= len(t.cases):
            raise ValueError(f"discriminant {index} out of range")
        name, case = t.cases[index]
        payload = None if case is None else self._load(data, at + t.payload_at, case)
        if kind == "option":
            return payload if index == 1 else None
        if kind == "enum":
            return name
        if kind == "result":
            return index == 0, payload
        return Variant(name, payload)


class _Exit(Exception):
    """The component called `wasi:cli/exit`."""


def _stream_write(core: Core) -> Callable[..., None]:
    def write(stream: int, address: int, length: int, result: int) -> None:
        # Only stderr is ever written (stdout is not the component's to use); both go to
        # this process's stderr, as with the component API's inherited stderr (as text where
        # it has no bytes underneath: notebooks, captured test output).
        data = core.read(address, length)
        buffer = getattr(sys.stderr, "buffer", None)
        if buffer is not None:
            buffer.write(data)
        else:
            sys.stderr.write(data.decode("utf-8", errors="replace"))
        core.write(result, b"\0")  # ok

    return write


def _environment(core: Core) -> Callable[[int], None]:
    def get(result: int) -> None:
        # No variables: an empty list where wasmtime would allocate one.
        core.write(result, struct.pack("<II", core.alloc(0, 4), 0))

    return get


def _wall_clock(core: Core) -> Callable[[int], None]:
    def now(result: int) -> None:
        ns = time.time_ns()
        core.write(result, struct.pack("<QI4x", ns // 1_000_000_000, ns % 1_000_000_000))

    return now


def _exit(core: Core) -> Callable[[int], None]:
    def exit(code: int) -> None:
        raise _Exit(f"the component exited ({code})")

    return exit


def _nothing(core: Core) -> Callable[..., None]:
    return lambda *args: None


def _handle(number: int) -> Callable[[Core], Callable[..., int]]:
    return lambda core: (lambda *args: number)


# The WASI 0.2 functions a Rust component's standard library imports, by core import name.
_WASI: Dict[Tuple[str, str], Callable[[Core], Callable[..., Any]]] = {
    ("wasi:random/insecure-seed@0.2.4", "insecure-seed"): lambda core: (
        lambda result: core.write(result, os.urandom(16))
    ),
    ("wasi:io/error@0.2.0", "[resource-drop]error"): _nothing,
    ("wasi:io/poll@0.2.0", "[resource-drop]pollable"): _nothing,
    ("wasi:io/streams@0.2.0", "[resource-drop]input-stream"): _nothing,
    ("wasi:io/streams@0.2.0", "[resource-drop]output-stream"): _nothing,
    ("wasi:cli/terminal-input@0.2.0", "[resource-drop]terminal-input"): _nothing,
    ("wasi:cli/terminal-output@0.2.0", "[resource-drop]terminal-output"): _nothing,
    ("wasi:cli/environment@0.2.0", "get-environment"): _environment,
    ("wasi:cli/exit@0.2.0", "exit"): _exit,
    ("wasi:io/poll@0.2.0", "[method]pollable.block"): _nothing,
    # result<u64, stream-error>: ok, room for a megabyte.
    ("wasi:io/streams@0.2.0", "[method]output-stream.check-write"): lambda core: (
        lambda stream, result: core.write(result, struct.pack("<B7xQ", 0, 1 << 20))
    ),
    ("wasi:io/streams@0.2.0", "[method]output-stream.write"): _stream_write,
    ("wasi:io/streams@0.2.0", "[method]output-stream.blocking-flush"): lambda core: (
        lambda stream, result: core.write(result, b"\0")
    ),
    ("wasi:io/streams@0.2.0", "[method]output-stream.subscribe"): _handle(1),
    ("wasi:cli/stdin@0.2.0", "get-stdin"): _handle(1),
    ("wasi:cli/stdout@0.2.0", "get-stdout"): _handle(2),
    ("wasi:cli/stderr@0.2.0", "get-stderr"): _handle(3),
    # option<terminal>: none (not a terminal).
    ("wasi:cli/terminal-stdin@0.2.0", "get-terminal-stdin"): lambda core: (lambda result: core.write(result, b"\0")),
    ("wasi:cli/terminal-stdout@0.2.0", "get-terminal-stdout"): lambda core: (lambda result: core.write(result, b"\0")),
    ("wasi:cli/terminal-stderr@0.2.0", "get-terminal-stderr"): lambda core: (lambda result: core.write(result, b"\0")),
    ("wasi:clocks/monotonic-clock@0.2.0", "now"): lambda core: (lambda: time.monotonic_ns()),
    ("wasi:clocks/wall-clock@0.2.0", "now"): _wall_clock,
}
