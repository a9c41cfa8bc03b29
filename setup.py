"""Builds the optional C extension, dedup/kernels/_compiled.pyx; the rest of the package is described in pyproject.toml.

Without Cython or a C compiler the install still succeeds and dedup runs its
references (see dedup/kernels/__init__.py).
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:
    extensions = []
else:
    extensions = cythonize([Extension("dedup.kernels._compiled", ["dedup/kernels/_compiled.pyx"], optional=True)],
                           quiet=True)

setup(ext_modules=extensions)
