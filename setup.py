"""Only here to declare the cffi extension; all metadata lives in pyproject.toml."""

from setuptools import setup

setup(cffi_modules=["src/chaincrypto/_build_cpu.py:ffibuilder"])
