"""Builds the optional C extension, dedup/_kernels.pyx; the rest of the package is described in pyproject.toml.

Without Cython or a C compiler the install still succeeds and dedup runs its
numpy references (see dedup/kernels.py).
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:
    extensions = []
else:
    extensions = cythonize([Extension("dedup._kernels", ["dedup/_kernels.pyx"], optional=True)],
                           quiet=True)

setup(ext_modules=extensions)
